CREATE TABLE `department_mentors` (
	`department_id` text NOT NULL,
	`user_id` text NOT NULL,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `department_mentors_unique` ON `department_mentors` (`department_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `placements` (
	`id` text PRIMARY KEY NOT NULL,
	`enrolment_id` text NOT NULL,
	`department_id` text NOT NULL,
	`mentor_user_id` text NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text NOT NULL,
	`required_days` integer NOT NULL,
	`ended_early_on` text,
	`end_reason` text,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`enrolment_id`) REFERENCES `enrolments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`mentor_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `placements_department_idx` ON `placements` (`department_id`,`start_date`);--> statement-breakpoint
CREATE INDEX `placements_enrolment_idx` ON `placements` (`enrolment_id`);--> statement-breakpoint
CREATE TABLE `rotation_signoffs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`placement_id` text NOT NULL,
	`kind` text NOT NULL,
	`date` text NOT NULL,
	`skill_code` text,
	`scores` text,
	`passed` integer,
	`comments` text DEFAULT '' NOT NULL,
	`mentor_user_id` text NOT NULL,
	`entered_by` text,
	`on_behalf` integer DEFAULT false NOT NULL,
	`status` text NOT NULL,
	`late_reason` text,
	`decided_by` text,
	`decided_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`placement_id`) REFERENCES `placements`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`mentor_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`entered_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rotation_signoffs_placement_idx` ON `rotation_signoffs` (`placement_id`,`kind`);--> statement-breakpoint
CREATE UNIQUE INDEX `rotation_signoffs_one_day` ON `rotation_signoffs` (`placement_id`,`date`) WHERE kind = 'day' and status <> 'rejected';