ALTER TABLE `people` ADD `teams_tenant_id` text;--> statement-breakpoint
ALTER TABLE `people` ADD `teams_aad_id` text;--> statement-breakpoint
ALTER TABLE `people` ADD `teams_user_id` text;--> statement-breakpoint
ALTER TABLE `people` ADD `teams_conversation` text;--> statement-breakpoint
CREATE UNIQUE INDEX `people_teams_identity` ON `people` (`teams_tenant_id`,`teams_aad_id`);