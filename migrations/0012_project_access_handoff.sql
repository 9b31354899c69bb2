ALTER TABLE `project_access` ADD `handoff` text DEFAULT 'awaiting' NOT NULL;--> statement-breakpoint
ALTER TABLE `project_access` ADD `handed_over_at` integer;--> statement-breakpoint
ALTER TABLE `project_access` ADD `handed_over_by` integer REFERENCES people(id);--> statement-breakpoint
UPDATE `project_access` SET `handoff` = 'handed_over', `handed_over_at` = `created_at` WHERE `kind` = 'copy';