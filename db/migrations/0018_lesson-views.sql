CREATE TABLE `lesson_views` (
	`id` text PRIMARY KEY NOT NULL,
	`enrolment_id` text NOT NULL,
	`module_code` text NOT NULL,
	`lesson_code` text NOT NULL,
	`opened_at` text NOT NULL,
	`last_beat_at` text NOT NULL,
	`seconds` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`enrolment_id`) REFERENCES `enrolments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `lesson_views_enrolment_idx` ON `lesson_views` (`enrolment_id`,`module_code`,`lesson_code`);