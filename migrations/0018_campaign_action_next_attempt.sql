ALTER TABLE `campaign_action_deliveries` ADD `next_attempt_at` integer;--> statement-breakpoint
CREATE INDEX `campaign_action_deliveries_due` ON `campaign_action_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
-- Rows still open when this ships are due from their last change, so the sweeper can find them.
UPDATE `campaign_action_deliveries` SET `next_attempt_at` = `updated_at` WHERE `status` IN ('pending', 'sending');
