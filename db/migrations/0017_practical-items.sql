ALTER TABLE `practical_assessments` ADD `examiner2` text;--> statement-breakpoint
ALTER TABLE `practical_assessments` ADD `item_marks` text;--> statement-breakpoint
ALTER TABLE `practical_assessments` ADD `score` integer;