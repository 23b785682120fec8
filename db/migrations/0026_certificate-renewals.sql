ALTER TABLE `certificates` ADD `renews_id` text;--> statement-breakpoint
ALTER TABLE `certificates` ADD `renews_serial` text;--> statement-breakpoint
ALTER TABLE `certificates` ADD `renewed_by_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `certificates_renews_unique` ON `certificates` (`renews_id`) WHERE "certificates"."renews_id" is not null and "certificates"."superseded_by_id" is null;