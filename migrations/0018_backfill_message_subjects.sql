-- Messages queued or posted before messages named their subjects (0016): what each is about, so a
-- change updates them too, and where the invitee DMs known so far are.
INSERT OR IGNORE INTO `outbox_subjects` (`outbox_id`, `subject`)
SELECT `id`, 'invitation:' || json_extract(`payload`, '$.invitation.invitationId') FROM `outbox`
WHERE json_extract(`payload`, '$.invitation.invitationId') IS NOT NULL;
--> statement-breakpoint
INSERT OR IGNORE INTO `outbox_subjects` (`outbox_id`, `subject`)
SELECT `id`, 'seat_request:' || json_extract(`payload`, '$.requestId') FROM `outbox`
WHERE json_extract(`payload`, '$.type') = 'seat_request';
--> statement-breakpoint
INSERT OR IGNORE INTO `outbox_subjects` (`outbox_id`, `subject`)
SELECT o.`id`, 'invitation:' || json_extract(w.value, '$.invitationId') FROM `outbox` o, json_each(o.`payload`, '$.waiting') w
WHERE json_extract(o.`payload`, '$.type') = 'share_attention';
--> statement-breakpoint
INSERT OR IGNORE INTO `outbox_subjects` (`outbox_id`, `subject`)
SELECT o.`id`, 'invitation:' || json_extract(e.value, '$.item.invitationId') FROM `outbox` o, json_each(o.`payload`, '$.page.entries') e
WHERE json_extract(o.`payload`, '$.type') = 'digest_page' AND json_extract(e.value, '$.kind') = 'item';
--> statement-breakpoint
INSERT OR IGNORE INTO `posted_messages` (`outbox_id`, `platform`, `channel`, `message_id`, `posted_at`)
SELECT d.`outbox_id`, CASE WHEN substr(i.`dm_channel`, 1, 1) IN ('D', 'C', 'G') THEN 'slack' ELSE 'teams' END, i.`dm_channel`, i.`dm_ts`, i.`sent_at`
FROM `invitations` i
JOIN (
  SELECT MAX(`id`) AS `outbox_id`, json_extract(`payload`, '$.invitation.invitationId') AS `invitation_id` FROM `outbox`
  WHERE `status` = 'sent' AND json_extract(`payload`, '$.type') IN ('license_invitation', 'project_invitation')
  GROUP BY json_extract(`payload`, '$.invitation.invitationId')
) d ON d.`invitation_id` = i.`id`
WHERE i.`dm_channel` IS NOT NULL AND i.`dm_ts` IS NOT NULL;
