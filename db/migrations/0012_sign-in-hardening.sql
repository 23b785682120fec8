CREATE TABLE `activation_codes` (
	`user_id` text PRIMARY KEY NOT NULL,
	`code_hmac` text NOT NULL,
	`sealed` text NOT NULL,
	`expires_at` integer NOT NULL,
	`issued_by` text,
	`issued_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`issued_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `known_devices` (
	`device_id` text NOT NULL,
	`user_id` text NOT NULL,
	`last_seen_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `known_devices_unique` ON `known_devices` (`device_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `known_devices_seen_idx` ON `known_devices` (`last_seen_at`);--> statement-breakpoint
ALTER TABLE `sessions` ADD `created_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Sessions from before the absolute limit count from now, not from 1970.
UPDATE `sessions` SET `created_at` = CAST(strftime('%s','now') AS INTEGER) * 1000;
--> statement-breakpoint
-- Trainee accounts still on the provisional password (the last six characters of their ID number,
-- four of which the masks show) can no longer sign in with it: they await an activation code,
-- which their base prints on an enrolment slip. Staff accounts are left to the admin.
UPDATE `users` SET `password_hash` = '!'
WHERE `must_change_password` = 1 AND `id_number` IS NOT NULL
  AND `id` NOT IN (SELECT `user_id` FROM `role_assignments` WHERE `role` <> 'trainee');
