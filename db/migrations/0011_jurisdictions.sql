DROP INDEX `claim_lines_one_per_head`;--> statement-breakpoint
DROP INDEX `claim_lines_one_per_person`;--> statement-breakpoint
DROP INDEX `claim_lines_claim_idx`;--> statement-breakpoint
ALTER TABLE `claim_lines` ADD `item` text DEFAULT 'training' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `claim_lines_one_per_head` ON `claim_lines` (`policy_code`,`certificate_id`,`item`) WHERE status in ('included', 'approved');--> statement-breakpoint
CREATE UNIQUE INDEX `claim_lines_one_per_person` ON `claim_lines` (`user_id`,`occupation_level`,`item`) WHERE status in ('included', 'approved');--> statement-breakpoint
CREATE INDEX `claim_lines_claim_idx` ON `claim_lines` (`claim_id`,`status`,`policy_code`,`certificate_id`,`amount_fen`);--> statement-breakpoint
DROP INDEX `organisations_kind_idx`;--> statement-breakpoint
ALTER TABLE `organisations` ADD `region_code` text;--> statement-breakpoint
CREATE UNIQUE INDEX `organisations_one_authority_per_region` ON `organisations` (`kind`,`region_code`) WHERE kind in ('health_bureau', 'hr_bureau', 'civil_affairs_bureau', 'finance_bureau') and region_code is not null;--> statement-breakpoint
CREATE INDEX `organisations_kind_idx` ON `organisations` (`kind`,`region_code`);--> statement-breakpoint
ALTER TABLE `accreditations` ADD `host_name` text;--> statement-breakpoint
ALTER TABLE `accreditations` ADD `host_kind` text;--> statement-breakpoint
ALTER TABLE `accreditations` ADD `authority_id` text REFERENCES organisations(id);