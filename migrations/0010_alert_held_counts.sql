CREATE TABLE `alert_held_counts` (
	`alert_id` text NOT NULL,
	`quarter_hour` integer NOT NULL,
	`contact_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`held` integer NOT NULL,
	PRIMARY KEY(`alert_id`, `quarter_hour`, `contact_id`),
	FOREIGN KEY (`alert_id`) REFERENCES `alerts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `alert_held_counts_contact` ON `alert_held_counts` (`contact_id`);