ALTER TABLE `sites` ADD `last_event_origin` text;--> statement-breakpoint
CREATE INDEX `sites_workspace_created` ON `sites` (`workspace_id`,`created_at`,`id`);--> statement-breakpoint
ALTER TABLE `workspaces` ADD `sender_name` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `workspaces` ADD `honor_privacy_signals` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `workspaces` ADD `identity_secret` text;--> statement-breakpoint
ALTER TABLE `workspaces` ADD `identity_secret_created_at` integer;