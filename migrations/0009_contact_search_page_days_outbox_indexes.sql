CREATE TABLE `contact_page_days` (
	`workspace_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`day` integer NOT NULL,
	`url` text NOT NULL,
	`views` integer DEFAULT 1 NOT NULL,
	PRIMARY KEY(`contact_id`, `day`, `url`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `contact_page_days_workspace_day` ON `contact_page_days` (`workspace_id`,`day`,`url`,`contact_id`);--> statement-breakpoint
ALTER TABLE `contacts` ADD `search_text` text DEFAULT '' NOT NULL;--> statement-breakpoint
-- Contacts identified before: SQLite's lower() folds ASCII only, so an accented name found before this
-- migration is matched by its accented spelling; any later change of the contact folds it fully.
UPDATE `contacts` SET `search_text` = lower(`email` || char(10) || `name` || char(10) || `company`);--> statement-breakpoint
CREATE INDEX `contacts_workspace_created` ON `contacts` (`workspace_id`,`created_at`,`id`,`search_text`);--> statement-breakpoint
CREATE INDEX `contacts_workspace_owner_created` ON `contacts` (`workspace_id`,`owner_id`,`created_at`,`id`,`search_text`);--> statement-breakpoint
CREATE INDEX `alert_deliveries_contact` ON `alert_deliveries` (`contact_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `alert_deliveries_alert_created` ON `alert_deliveries` (`workspace_id`,`alert_id`,`created_at`,`status`);