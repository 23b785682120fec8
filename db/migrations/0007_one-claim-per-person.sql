-- Claims made before this rule may hold one person twice for an occupation and level (two
-- certificates from two cohorts). The earliest line keeps the head; later ones are removed with
-- the reason, so the claim's total and history say what happened, and the index can be built.
UPDATE `claim_lines` SET `status` = 'removed', `reason` = '同一人同一职业同一等级已在其他申报行中（规则生效时移除）'
WHERE `status` IN ('included', 'approved')
  AND `id` NOT IN (
    SELECT min(`id`) FROM `claim_lines` WHERE `status` IN ('included', 'approved') GROUP BY `user_id`, `occupation_level`
  );
--> statement-breakpoint
CREATE UNIQUE INDEX `claim_lines_one_per_person` ON `claim_lines` (`user_id`,`occupation_level`) WHERE status in ('included', 'approved');
