CREATE TABLE `job_leases` (
	`key` text PRIMARY KEY NOT NULL,
	`owner` text NOT NULL,
	`until` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `invitations` ADD `delivery_problem` text;--> statement-breakpoint
CREATE INDEX `invitations_reminder_due` ON `invitations` (`status`,COALESCE("last_reminded_at", "sent_at"));--> statement-breakpoint
CREATE INDEX `invitations_expiry_due` ON `invitations` (`status`,`expires_at`);