CREATE TABLE `health_probe` (
	`id` integer PRIMARY KEY NOT NULL
);
--> statement-breakpoint
ALTER TABLE `slack_inbox` ADD `event_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `slack_inbox_event_id_unique` ON `slack_inbox` (`event_id`);