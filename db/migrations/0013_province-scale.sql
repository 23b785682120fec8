ALTER TABLE `enrolments` ADD `progress` text;--> statement-breakpoint
CREATE INDEX `attendance_enrolment_idx` ON `attendance` (`enrolment_id`);--> statement-breakpoint
CREATE INDEX `certificates_issue_idx` ON `certificates` (`issue_date`,`issued_at`,`id`);--> statement-breakpoint
CREATE INDEX `certificates_holder_name_idx` ON `certificates` (`holder_name`);--> statement-breakpoint
CREATE INDEX `certificates_holder_id_idx` ON `certificates` (`holder_id_number`);--> statement-breakpoint
CREATE INDEX `certificates_pdf_idx` ON `certificates` (`pdf_sha256`);--> statement-breakpoint
CREATE INDEX `claims_policy_idx` ON `claims` (`policy_code`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `placements_department_end_idx` ON `placements` (`department_id`,`end_date`);--> statement-breakpoint
CREATE INDEX `rotation_signoffs_pending_idx` ON `rotation_signoffs` (`placement_id`) WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX `users_name_idx` ON `users` (`name`);--> statement-breakpoint
-- A serial typed without its hyphens is found through this index, not by reading the register.
CREATE INDEX `certificates_compact_serial_idx` ON `certificates` (replace(`serial`, '-', ''));
--> statement-breakpoint
-- The audit log's text, searchable by any run of three or more characters (Chinese names included)
-- without reading every row: an external-content FTS5 table kept by a trigger (the log is append-only).
CREATE VIRTUAL TABLE `audit_log_fts` USING fts5(`action`, `entity_id`, `details`, content='audit_log', content_rowid='id', tokenize='trigram');
--> statement-breakpoint
INSERT INTO `audit_log_fts` (rowid, `action`, `entity_id`, `details`) SELECT `id`, `action`, `entity_id`, `details` FROM `audit_log`;
--> statement-breakpoint
CREATE TRIGGER audit_log_fts_insert AFTER INSERT ON audit_log
BEGIN
  INSERT INTO audit_log_fts (rowid, action, entity_id, details) VALUES (new.id, new.action, new.entity_id, new.details);
END;
