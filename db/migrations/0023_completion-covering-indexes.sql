-- Completion is judged from these four kinds of record for a whole cohort at once (an attendance
-- column): each read is answered from its index alone.
DROP INDEX `assessment_attempts_enrolment_idx`;--> statement-breakpoint
CREATE INDEX `assessment_attempts_enrolment_idx` ON `assessment_attempts` (`enrolment_id`,`kind`,`module_code`,`passed`);--> statement-breakpoint
DROP INDEX `attendance_enrolment_idx`;--> statement-breakpoint
CREATE INDEX `attendance_enrolment_idx` ON `attendance` (`enrolment_id`,`session_id`,`hours`);--> statement-breakpoint
DROP INDEX `lesson_views_enrolment_idx`;--> statement-breakpoint
CREATE INDEX `lesson_views_enrolment_idx` ON `lesson_views` (`enrolment_id`,`module_code`,`lesson_code`,`seconds`);--> statement-breakpoint
DROP INDEX `practical_assessments_enrolment_idx`;--> statement-breakpoint
CREATE INDEX `practical_assessments_enrolment_idx` ON `practical_assessments` (`enrolment_id`,`skill_code`,`result`,`assessed_on`);