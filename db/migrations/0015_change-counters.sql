CREATE TABLE `change_counters` (
	`name` text PRIMARY KEY NOT NULL,
	`n` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
INSERT INTO `change_counters` (`name`, `n`) VALUES ('subsidy', 0);
--> statement-breakpoint
-- Everything the subsidy tally reads: certificates, claims and their lines, designations, and
-- where organisations sit. Any change to them moves the counter, whatever code made it.
CREATE TRIGGER change_subsidy_certificates_insert AFTER INSERT ON certificates BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'subsidy'; END;
--> statement-breakpoint
CREATE TRIGGER change_subsidy_certificates_update AFTER UPDATE ON certificates BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'subsidy'; END;
--> statement-breakpoint
CREATE TRIGGER change_subsidy_certificates_delete AFTER DELETE ON certificates BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'subsidy'; END;
--> statement-breakpoint
CREATE TRIGGER change_subsidy_claims_insert AFTER INSERT ON claims BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'subsidy'; END;
--> statement-breakpoint
CREATE TRIGGER change_subsidy_claims_update AFTER UPDATE ON claims BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'subsidy'; END;
--> statement-breakpoint
CREATE TRIGGER change_subsidy_claim_lines_insert AFTER INSERT ON claim_lines BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'subsidy'; END;
--> statement-breakpoint
CREATE TRIGGER change_subsidy_claim_lines_update AFTER UPDATE ON claim_lines BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'subsidy'; END;
--> statement-breakpoint
CREATE TRIGGER change_subsidy_claim_lines_delete AFTER DELETE ON claim_lines BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'subsidy'; END;
--> statement-breakpoint
CREATE TRIGGER change_subsidy_accreditations_insert AFTER INSERT ON accreditations BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'subsidy'; END;
--> statement-breakpoint
CREATE TRIGGER change_subsidy_organisations_insert AFTER INSERT ON organisations BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'subsidy'; END;
--> statement-breakpoint
CREATE TRIGGER change_subsidy_organisations_update AFTER UPDATE ON organisations BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'subsidy'; END;
--> statement-breakpoint
CREATE TRIGGER change_subsidy_enrolments_insert AFTER INSERT ON enrolments BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'subsidy'; END;
--> statement-breakpoint
CREATE TRIGGER change_subsidy_enrolments_status AFTER UPDATE OF status ON enrolments BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'subsidy'; END;
