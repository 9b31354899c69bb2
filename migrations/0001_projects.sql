CREATE TABLE `project_access` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`email` text,
	`kind` text NOT NULL,
	`invitation_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invitation_id`) REFERENCES `invitations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `project_access_one` ON `project_access` (`project_id`,`person_id`);--> statement-breakpoint
CREATE INDEX `project_access_person` ON `project_access` (`person_id`);--> statement-breakpoint
CREATE TABLE `projects` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`owner_id` integer NOT NULL,
	`edition` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`owner_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `projects_owner_name_nocase` ON `projects` (`owner_id`,"name" COLLATE NOCASE);--> statement-breakpoint
CREATE TABLE `returned_copies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`from_person_id` integer NOT NULL,
	`link` text NOT NULL,
	`note` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`from_person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `returned_copies_project` ON `returned_copies` (`project_id`);--> statement-breakpoint
CREATE TABLE `seat_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` integer NOT NULL,
	`email` text NOT NULL,
	`project_invitation_id` integer NOT NULL,
	`requested_by` integer NOT NULL,
	`status` text NOT NULL,
	`decided_by` integer,
	`license_id` integer,
	`license_invitation_id` integer,
	`created_at` integer NOT NULL,
	`decided_at` integer,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`project_invitation_id`) REFERENCES `invitations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`requested_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`license_id`) REFERENCES `licenses`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`license_invitation_id`) REFERENCES `invitations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `seat_requests_status` ON `seat_requests` (`status`);--> statement-breakpoint
ALTER TABLE `invitations` ADD `project_id` integer REFERENCES projects(id);--> statement-breakpoint
ALTER TABLE `invitations` ADD `message` text;--> statement-breakpoint
ALTER TABLE `invitations` ADD `desktop_link` text;--> statement-breakpoint
CREATE UNIQUE INDEX `invitations_one_open_project` ON `invitations` (`project_id`,`invitee_id`) WHERE "invitations"."status" IN ('pending', 'waiting_for_seat') AND "invitations"."kind" = 'project';