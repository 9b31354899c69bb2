CREATE TABLE `outbox_subjects` (
	`outbox_id` integer NOT NULL,
	`subject` text NOT NULL,
	PRIMARY KEY(`outbox_id`, `subject`),
	FOREIGN KEY (`outbox_id`) REFERENCES `outbox`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `outbox_subjects_subject` ON `outbox_subjects` (`subject`,`outbox_id`);--> statement-breakpoint
CREATE TABLE `posted_messages` (
	`outbox_id` integer PRIMARY KEY NOT NULL,
	`platform` text NOT NULL,
	`channel` text NOT NULL,
	`message_id` text NOT NULL,
	`posted_at` integer NOT NULL,
	`updated_at` integer,
	`rendered_hash` text,
	FOREIGN KEY (`outbox_id`) REFERENCES `outbox`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `subject_states` (
	`subject` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`updated_at` integer NOT NULL
);
