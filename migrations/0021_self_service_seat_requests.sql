PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_seat_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` integer NOT NULL,
	`email` text NOT NULL,
	`project_invitation_id` integer,
	`requested_by` integer NOT NULL,
	`status` text NOT NULL,
	`decided_by` integer,
	`license_id` integer,
	`license_invitation_id` integer,
	`reason` text,
	`decision_note` text,
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
INSERT INTO `__new_seat_requests`("id", "person_id", "email", "project_invitation_id", "requested_by", "status", "decided_by", "license_id", "license_invitation_id", "reason", "decision_note", "created_at", "decided_at") SELECT "id", "person_id", "email", "project_invitation_id", "requested_by", "status", "decided_by", "license_id", "license_invitation_id", NULL, NULL, "created_at", "decided_at" FROM `seat_requests`;--> statement-breakpoint
-- keep AUTOINCREMENT's high-water mark: an id once used (in the audit log, in posted messages' subjects) is never given again
INSERT INTO sqlite_sequence (name, seq) SELECT '__new_seat_requests', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = '__new_seat_requests');--> statement-breakpoint
UPDATE sqlite_sequence SET seq = MAX(seq, COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'seat_requests'), 0)) WHERE name = '__new_seat_requests';--> statement-breakpoint
DROP TABLE `seat_requests`;--> statement-breakpoint
ALTER TABLE `__new_seat_requests` RENAME TO `seat_requests`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `seat_requests_status` ON `seat_requests` (`status`);--> statement-breakpoint
CREATE INDEX `seat_requests_person` ON `seat_requests` (`person_id`,`status`);