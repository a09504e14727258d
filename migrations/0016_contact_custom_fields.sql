CREATE TABLE `campaign_action_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`campaign_id` text NOT NULL,
	`step_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`action_key` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`target` text DEFAULT '' NOT NULL,
	`error` text,
	`job` text,
	`retry_until` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`sent_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `campaign_action_deliveries_action_key_unique` ON `campaign_action_deliveries` (`action_key`);--> statement-breakpoint
CREATE INDEX `campaign_action_deliveries_campaign` ON `campaign_action_deliveries` (`workspace_id`,`campaign_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `campaign_action_deliveries_contact` ON `campaign_action_deliveries` (`contact_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `campaign_step_counts` (
	`campaign_id` text NOT NULL,
	`version` integer NOT NULL,
	`step_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`reached` integer NOT NULL,
	PRIMARY KEY(`campaign_id`, `version`, `step_id`, `contact_id`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `round_robin_cursors` (
	`campaign_id` text NOT NULL,
	`step_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`turns` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`campaign_id`, `step_id`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `round_robin_picks` (
	`pick_key` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`turn` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `round_robin_picks_workspace` ON `round_robin_picks` (`workspace_id`);--> statement-breakpoint
ALTER TABLE `contacts` ADD `custom_fields` text DEFAULT '{}' NOT NULL;