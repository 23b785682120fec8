CREATE TABLE `base_assessments` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`period` text NOT NULL,
	`template_code` text NOT NULL,
	`template_version` integer NOT NULL,
	`facts` text NOT NULL,
	`item_scores` text NOT NULL,
	`score_tenths` integer NOT NULL,
	`passed` integer NOT NULL,
	`inspectors` text NOT NULL,
	`assessed_on` text NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`authority_id` text NOT NULL,
	`recorded_by` text,
	`recorded_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`authority_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `base_assessments_org_idx` ON `base_assessments` (`organisation_id`,`period`,`recorded_at`);