DROP INDEX `rotation_signoffs_pending_idx`;--> statement-breakpoint
ALTER TABLE `rotation_signoffs` ADD `hospital_id` text REFERENCES organisations(id);--> statement-breakpoint
UPDATE `rotation_signoffs` SET `hospital_id` = (
  SELECT d.`organisation_id` FROM `placements` p JOIN `departments` d ON d.`id` = p.`department_id` WHERE p.`id` = `rotation_signoffs`.`placement_id`
);--> statement-breakpoint
CREATE TRIGGER `rotation_signoffs_hospital` AFTER INSERT ON `rotation_signoffs`
BEGIN
  UPDATE `rotation_signoffs` SET `hospital_id` = (
    SELECT d.`organisation_id` FROM `placements` p JOIN `departments` d ON d.`id` = p.`department_id` WHERE p.`id` = NEW.`placement_id`
  ) WHERE `id` = NEW.`id`;
END;--> statement-breakpoint
CREATE INDEX `rotation_signoffs_pending_idx` ON `rotation_signoffs` (`hospital_id`,`id`) WHERE status = 'pending';
