ALTER TABLE `slack_inbox` ADD `owner` text;--> statement-breakpoint
ALTER TABLE `slack_inbox` ADD `lease_until` integer;