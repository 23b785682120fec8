-- Claim lines name what they pay for: a certificate (per head), a designation (award), a verified
-- nurse's certificate (双证) or a cohort (grant). SQLite cannot drop NOT NULL in place, so the table is
-- rebuilt; its triggers go with the old table and are made again below, as in 0010 and 0015. The
-- lines are set aside and copied back rather than the new table renamed into place: after a rename,
-- SQLite refuses a later checkpoint on the same connection once its journal mode has been switched.
CREATE TABLE `claim_lines_before_subjects` AS SELECT * FROM `claim_lines`;--> statement-breakpoint
DROP TABLE `claim_lines`;--> statement-breakpoint
CREATE TABLE `claim_lines` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`claim_id` text NOT NULL,
	`policy_code` text NOT NULL,
	`certificate_id` text,
	`user_id` text,
	`occupation_level` text,
	`award_designation_id` text,
	`qualification_id` text,
	`cohort_id` text,
	`item` text DEFAULT 'training' NOT NULL,
	`amount_fen` integer NOT NULL,
	`beyond_target` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'included' NOT NULL,
	`reason` text,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`certificate_id`) REFERENCES `certificates`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`award_designation_id`) REFERENCES `award_designations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`qualification_id`) REFERENCES `qualifications`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`cohort_id`) REFERENCES `cohorts`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "claim_lines_subject" CHECK((item in ('training', 'appraisal') and certificate_id is not null and user_id is not null and occupation_level is not null)
        or (item = 'award' and award_designation_id is not null)
        or (item = 'dual_certificate' and user_id is not null and qualification_id is not null)
        or (item = 'cohort_grant' and cohort_id is not null))
);
--> statement-breakpoint
-- Line ids are kept: the claims' history names lines by id.
INSERT INTO `claim_lines`("id", "claim_id", "policy_code", "certificate_id", "user_id", "occupation_level", "item", "amount_fen", "beyond_target", "status", "reason") SELECT "id", "claim_id", "policy_code", "certificate_id", "user_id", "occupation_level", "item", "amount_fen", "beyond_target", "status", "reason" FROM `claim_lines_before_subjects`;--> statement-breakpoint
DROP TABLE `claim_lines_before_subjects`;--> statement-breakpoint
CREATE UNIQUE INDEX `claim_lines_one_per_head` ON `claim_lines` (`policy_code`,`certificate_id`,`item`) WHERE status in ('included', 'approved');--> statement-breakpoint
CREATE UNIQUE INDEX `claim_lines_one_per_person` ON `claim_lines` (`user_id`,`occupation_level`,`item`) WHERE status in ('included', 'approved');--> statement-breakpoint
CREATE UNIQUE INDEX `claim_lines_one_per_designation` ON `claim_lines` (`award_designation_id`) WHERE status in ('included', 'approved');--> statement-breakpoint
CREATE UNIQUE INDEX `claim_lines_one_incentive_per_person` ON `claim_lines` (`user_id`,`item`) WHERE item = 'dual_certificate' and status in ('included', 'approved');--> statement-breakpoint
CREATE UNIQUE INDEX `claim_lines_one_per_cohort` ON `claim_lines` (`policy_code`,`cohort_id`) WHERE status in ('included', 'approved');--> statement-breakpoint
CREATE INDEX `claim_lines_claim_idx` ON `claim_lines` (`claim_id`,`status`,`policy_code`,`certificate_id`,`amount_fen`);--> statement-breakpoint
CREATE TRIGGER claim_lines_hold_insert AFTER INSERT ON claim_lines
BEGIN
  UPDATE certificates SET claim_holds = claim_holds + (new.status IN ('included', 'approved')) WHERE id = new.certificate_id;
END;
--> statement-breakpoint
CREATE TRIGGER claim_lines_hold_update AFTER UPDATE OF status, certificate_id ON claim_lines
BEGIN
  UPDATE certificates SET claim_holds = claim_holds - (old.status IN ('included', 'approved')) WHERE id = old.certificate_id;
  UPDATE certificates SET claim_holds = claim_holds + (new.status IN ('included', 'approved')) WHERE id = new.certificate_id;
END;
--> statement-breakpoint
CREATE TRIGGER claim_lines_hold_delete AFTER DELETE ON claim_lines
BEGIN
  UPDATE certificates SET claim_holds = claim_holds - (old.status IN ('included', 'approved')) WHERE id = old.certificate_id;
END;
--> statement-breakpoint
CREATE TRIGGER change_subsidy_claim_lines_insert AFTER INSERT ON claim_lines BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'subsidy'; END;
--> statement-breakpoint
CREATE TRIGGER change_subsidy_claim_lines_update AFTER UPDATE ON claim_lines BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'subsidy'; END;
--> statement-breakpoint
CREATE TRIGGER change_subsidy_claim_lines_delete AFTER DELETE ON claim_lines BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'subsidy'; END;
