CREATE TABLE `jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`run_key` text NOT NULL,
	`run_at` integer NOT NULL,
	`claimed_by` text,
	`claimed_until` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`done_at` text,
	`last_error` text,
	`result` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_run_unique` ON `jobs` (`name`,`run_key`);--> statement-breakpoint
CREATE INDEX `jobs_due_idx` ON `jobs` (`run_at`) WHERE done_at is null;--> statement-breakpoint
CREATE TABLE `notification_email_choices` (
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`email` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notification_email_choices_pk` ON `notification_email_choices` (`user_id`,`kind`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`params` text DEFAULT '{}' NOT NULL,
	`link` text NOT NULL,
	`dedupe_key` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`read_at` text,
	`email_state` text DEFAULT 'none' NOT NULL,
	`email_attempts` integer DEFAULT 0 NOT NULL,
	`email_claimed_until` integer,
	`emailed_at` text,
	`email_error` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_dedupe` ON `notifications` (`user_id`,`dedupe_key`);--> statement-breakpoint
CREATE INDEX `notifications_inbox_idx` ON `notifications` (`user_id`,`id`);--> statement-breakpoint
CREATE INDEX `notifications_unread_idx` ON `notifications` (`user_id`) WHERE read_at is null;--> statement-breakpoint
CREATE INDEX `notifications_outbox_idx` ON `notifications` (`id`) WHERE email_state = 'pending';--> statement-breakpoint
ALTER TABLE `users` ADD `email` text;--> statement-breakpoint
CREATE INDEX `certificates_expiry_idx` ON `certificates` (`expiry_date`) WHERE "certificates"."revoked_at" is null and "certificates"."superseded_by_id" is null and "certificates"."expiry_date" is not null;--> statement-breakpoint
CREATE INDEX `placements_start_idx` ON `placements` (`start_date`);