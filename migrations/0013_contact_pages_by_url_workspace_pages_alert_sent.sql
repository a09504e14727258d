CREATE TABLE `workspace_pages` (
	`workspace_id` text NOT NULL,
	`url` text NOT NULL,
	`last_day` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `url`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
DROP INDEX `contact_page_days_workspace_day`;--> statement-breakpoint
CREATE INDEX `contact_page_days_workspace_url` ON `contact_page_days` (`workspace_id`,`url`,`day`,`contact_id`);--> statement-breakpoint
CREATE INDEX `alert_deliveries_alert_sent` ON `alert_deliveries` (`alert_id`,`sent_at`);--> statement-breakpoint
-- Pages already counted: each with the last day one was visited.
INSERT INTO `workspace_pages` (`workspace_id`, `url`, `last_day`) SELECT `workspace_id`, `url`, max(`day`) FROM `contact_page_days` WHERE true GROUP BY `workspace_id`, `url`;
