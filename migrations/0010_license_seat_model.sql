ALTER TABLE `licenses` ADD `seat_model` text DEFAULT 'assigned' NOT NULL;--> statement-breakpoint
ALTER TABLE `licenses` ADD `member_cap` integer;