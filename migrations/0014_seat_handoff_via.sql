ALTER TABLE `seats` ADD `handoff_via` text DEFAULT 'admin' NOT NULL;--> statement-breakpoint
UPDATE `seats` SET `handoff_via` = 'link' WHERE `handoff` <> 'awaiting' AND `handed_over_by` IS NULL;