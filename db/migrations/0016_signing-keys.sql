CREATE TABLE `signing_keys` (
	`kid` text PRIMARY KEY NOT NULL,
	`public_key` text NOT NULL,
	`pdf_certificate` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`retired_at` text,
	`retired_note` text
);
--> statement-breakpoint
ALTER TABLE `certificates` ADD `key_id` text;--> statement-breakpoint
CREATE INDEX `certificates_withdrawn_idx` ON `certificates` (`serial`) WHERE "certificates"."revoked_at" is not null or "certificates"."superseded_by_id" is not null;