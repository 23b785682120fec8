CREATE TABLE `certificates` (
	`id` text PRIMARY KEY NOT NULL,
	`serial` text NOT NULL,
	`enrolment_id` text NOT NULL,
	`user_id` text NOT NULL,
	`organisation_id` text NOT NULL,
	`organisation_code` text NOT NULL,
	`organisation_name` text NOT NULL,
	`program_code` text NOT NULL,
	`program_version` integer NOT NULL,
	`program_title` text NOT NULL,
	`certificate_title` text NOT NULL,
	`holder_name` text NOT NULL,
	`holder_id_number` text,
	`cohort_start` text NOT NULL,
	`cohort_end` text NOT NULL,
	`theory_hours` integer NOT NULL,
	`practice_hours` integer NOT NULL,
	`completion_date` text NOT NULL,
	`issue_date` text NOT NULL,
	`expiry_date` text,
	`verify_base` text NOT NULL,
	`payload` text NOT NULL,
	`signature` text NOT NULL,
	`pdf_sha256` text NOT NULL,
	`issued_by` text,
	`issued_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`revoked_at` text,
	`revoked_reason` text,
	`revoked_note` text,
	`revoked_by` text,
	`superseded_by_id` text,
	`reissue_reason` text,
	FOREIGN KEY (`enrolment_id`) REFERENCES `enrolments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`issued_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`revoked_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `certificates_serial_unique` ON `certificates` (`serial`);--> statement-breakpoint
CREATE UNIQUE INDEX `certificates_one_per_enrolment` ON `certificates` (`enrolment_id`) WHERE superseded_by_id is null;--> statement-breakpoint
CREATE INDEX `certificates_org_idx` ON `certificates` (`organisation_id`,`issue_date`);--> statement-breakpoint
CREATE INDEX `certificates_user_idx` ON `certificates` (`user_id`);