CREATE TABLE `bulk_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`requested_by` integer NOT NULL,
	`license_id` integer NOT NULL,
	`total` integer NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`message_channel` text,
	`message_ts` text,
	FOREIGN KEY (`requested_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`license_id`) REFERENCES `licenses`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `invitations` ADD `run_id` integer;--> statement-breakpoint
CREATE INDEX `invitations_run` ON `invitations` (`run_id`);