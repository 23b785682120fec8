DROP INDEX `certificates_tally_idx`;--> statement-breakpoint
ALTER TABLE `certificates` ADD `claim_holds` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `certificates_tally_idx` ON `certificates` (`organisation_id`,`program_code`,`program_version`,`completion_date`,`revoked_at`,`superseded_by_id`,`holder_id_number`,`claim_holds`,`user_id`);--> statement-breakpoint
-- Certificates already on claim lines.
UPDATE `certificates` SET `claim_holds` = (
  SELECT count(*) FROM `claim_lines` l WHERE l.`certificate_id` = `certificates`.`id` AND l.`status` IN ('included', 'approved')
);
--> statement-breakpoint
-- The count follows every line that takes, changes or lets go of a certificate, whatever code writes it.
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
