CREATE TABLE `slack_inbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`received_at` integer NOT NULL,
	`status` text NOT NULL,
	`content_type` text NOT NULL,
	`sealed_body` text,
	`done_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `slack_inbox_key_unique` ON `slack_inbox` (`key`);--> statement-breakpoint
CREATE INDEX `slack_inbox_status` ON `slack_inbox` (`status`,`received_at`);