CREATE TABLE `recipient_digests` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`recipient` text NOT NULL,
	`hour_start` integer NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`error` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`sent_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `recipient_digests_hour` ON `recipient_digests` (`workspace_id`,`recipient`,`hour_start`);--> statement-breakpoint
CREATE TABLE `recipient_hour_slots` (
	`workspace_id` text NOT NULL,
	`recipient` text NOT NULL,
	`hour_start` integer NOT NULL,
	`delivery_id` text NOT NULL,
	`position` integer NOT NULL,
	`folded` integer DEFAULT false NOT NULL,
	`summary` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	PRIMARY KEY(`workspace_id`, `recipient`, `hour_start`, `delivery_id`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`delivery_id`) REFERENCES `alert_deliveries`(`id`) ON UPDATE no action ON DELETE no action
);
