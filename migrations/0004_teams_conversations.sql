CREATE TABLE `teams_conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`ref` text NOT NULL,
	`updated_at` integer NOT NULL
);
