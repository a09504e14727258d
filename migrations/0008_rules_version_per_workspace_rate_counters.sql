CREATE TABLE `rate_counters` (
	`key` text PRIMARY KEY NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `rate_counters_expires` ON `rate_counters` (`expires_at`);--> statement-breakpoint
ALTER TABLE `workspaces` ADD `rules_version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
-- Above every number a site of the workspace had, so no contact object's cached rules match it.
UPDATE `workspaces` SET `rules_version` = coalesce((SELECT max(`rules_version`) FROM `sites` WHERE `sites`.`workspace_id` = `workspaces`.`id`), 0) + 1;--> statement-breakpoint
ALTER TABLE `sites` DROP COLUMN `rules_version`;