CREATE TABLE `award_designations` (
	`id` text PRIMARY KEY NOT NULL,
	`policy_code` text NOT NULL,
	`organisation_id` text NOT NULL,
	`designated_on` text NOT NULL,
	`document_number` text NOT NULL,
	`reason` text NOT NULL,
	`authority_id` text NOT NULL,
	`recorded_by` text,
	`recorded_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`authority_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `award_designations_once` ON `award_designations` (`policy_code`,`organisation_id`);