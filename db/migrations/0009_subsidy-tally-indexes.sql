DROP INDEX `certificates_user_idx`;--> statement-breakpoint
CREATE INDEX `certificates_user_idx` ON `certificates` (`user_id`,`revoked_at`,`superseded_by_id`,`holder_id_number`);--> statement-breakpoint
DROP INDEX `claim_lines_claim_idx`;--> statement-breakpoint
CREATE INDEX `claim_lines_claim_idx` ON `claim_lines` (`claim_id`,`status`,`policy_code`,`amount_fen`);