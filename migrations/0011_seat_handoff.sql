ALTER TABLE `seats` ADD `handoff` text DEFAULT 'awaiting' NOT NULL;--> statement-breakpoint
ALTER TABLE `seats` ADD `handed_over_at` integer;--> statement-breakpoint
ALTER TABLE `seats` ADD `handed_over_by` integer REFERENCES people(id);--> statement-breakpoint
ALTER TABLE `seats` ADD `joined_at` integer;