CREATE TABLE `qualifications` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`number` text NOT NULL,
	`issuer` text NOT NULL,
	`issued_on` text NOT NULL,
	`valid_until` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`verified_by` text,
	`verified_at` text,
	`rejection_reason` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`verified_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `qualifications_user_idx` ON `qualifications` (`user_id`,`kind`);--> statement-breakpoint
CREATE UNIQUE INDEX `qualifications_number` ON `qualifications` (`kind`,`number`) WHERE status != 'rejected';