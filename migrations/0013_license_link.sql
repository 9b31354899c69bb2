ALTER TABLE `licenses` ADD `link_sealed` text;--> statement-breakpoint
ALTER TABLE `licenses` ADD `link_set_at` integer;