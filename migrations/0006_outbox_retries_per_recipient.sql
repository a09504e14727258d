ALTER TABLE `alert_deliveries` ADD `recipient_outcomes` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `alert_deliveries` ADD `job` text;--> statement-breakpoint
ALTER TABLE `alert_deliveries` ADD `next_attempt_at` integer;--> statement-breakpoint
ALTER TABLE `alert_deliveries` ADD `retry_until` integer;--> statement-breakpoint
CREATE INDEX `alert_deliveries_due` ON `alert_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
ALTER TABLE `recipient_digests` ADD `next_attempt_at` integer;--> statement-breakpoint
ALTER TABLE `recipient_digests` ADD `retry_until` integer;--> statement-breakpoint
CREATE INDEX `recipient_digests_due` ON `recipient_digests` (`status`,`next_attempt_at`);