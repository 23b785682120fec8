CREATE INDEX `audit_log_actor_idx` ON `audit_log` (`actor_user_id`,`id`);--> statement-breakpoint
CREATE INDEX `cohorts_end_idx` ON `cohorts` (`end_date`);