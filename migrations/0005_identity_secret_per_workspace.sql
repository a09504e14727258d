-- The identity secret moves from sites to workspaces (contacts are per workspace). A workspace
-- keeps the secret of one of its sites, so a backend already signing with it keeps working.
UPDATE `workspaces` SET `identity_secret` = (SELECT `s`.`identity_secret` FROM `sites` AS `s` WHERE `s`.`workspace_id` = `workspaces`.`id` AND `s`.`identity_secret` IS NOT NULL ORDER BY `s`.`created_at` LIMIT 1), `identity_secret_created_at` = (unixepoch() * 1000) WHERE `identity_secret` IS NULL AND EXISTS (SELECT 1 FROM `sites` AS `s` WHERE `s`.`workspace_id` = `workspaces`.`id` AND `s`.`identity_secret` IS NOT NULL);--> statement-breakpoint
ALTER TABLE `sites` DROP COLUMN `identity_secret`;
