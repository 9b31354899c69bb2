DROP INDEX `invitations_reminder_due`;--> statement-breakpoint
CREATE INDEX `invitations_reminder_due_covering` ON `invitations` (`status`,COALESCE("last_reminded_at", "sent_at"),`reminders_sent`,`expires_at`,`invitee_id`);
