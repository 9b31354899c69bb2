CREATE TABLE `teams_welcomes` (
	`conversation_id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL
);
