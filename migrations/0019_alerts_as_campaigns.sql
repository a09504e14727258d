-- Alerts become campaigns (docs/campaigns.md): each alert row is copied into `campaigns` and
-- `campaign_versions` under its own id (version 1, category `alert`, one page-visited trigger, one
-- send-alert step with the alert's recipients and content, run every time within its frequency),
-- the outbox and count tables are rebuilt to reference `campaigns`, the triggers that keep
-- `alert_delivery_counts` are created again (the rebuild drops them) and `alerts` goes.
-- D1 enforces foreign keys: they are checked once, at the end of the migration.
PRAGMA defer_foreign_keys = on;--> statement-breakpoint
INSERT INTO `campaigns` (`id`, `workspace_id`, `name`, `category`, `active`, `current_version`, `created_by`, `created_at`, `updated_at`)
SELECT `id`, `workspace_id`, `name`, 'alert', `active`, 1, `created_by`, `created_at`, `updated_at` FROM `alerts` WHERE true;--> statement-breakpoint
-- The CC list is stored comma-separated ("a@x.test, b@y.test"); the step keeps it as an array.
-- json() around each part keeps it JSON (an object, an array, true/false), not a string.
INSERT INTO `campaign_versions` (`campaign_id`, `version`, `workspace_id`, `definition`, `created_by`, `created_at`)
SELECT `id`, 1, `workspace_id`, json_object(
  'name', `name`,
  'category', 'alert',
  'triggers', json_array(json_object('type', 'page-visited', 'pages', json(`pages`))),
  'conditions', json_array(),
  'steps', json_array(json_object(
    'id', 'send',
    'type', 'send-alert',
    'to', json_object(
      'owner', json(iif(`notify_owner`, 'true', 'false')),
      'creator', json(iif(`notify_creator`, 'true', 'false')),
      'addresses', json_array(),
      'cc', json((SELECT json_group_array(trim(`value`)) FROM json_each('["' || replace(`cc`, ',', '","') || '"]') WHERE trim(`value`) <> ''))
    ),
    'description', `description`,
    'attachment', json(iif(`attachment_format` IS NULL OR `attachment_template` IS NULL, 'null', json_object('format', `attachment_format`, 'template', `attachment_template`))),
    'templateHtml', `template_html`
  )),
  'runLimit', json_object('kind', 'always'),
  'frequency', json_object('count', `frequency_count`, 'period', `frequency_period`)
), `created_by`, `updated_at` FROM `alerts` WHERE true;--> statement-breakpoint
-- delivery_attempts and recipient_hour_slots reference the outbox: it is copied out, dropped and
-- filled again under its own name (not renamed), so the rows coming back satisfy their references
-- again inside the transaction.
CREATE TABLE `__old_alert_deliveries` AS SELECT * FROM `alert_deliveries`;--> statement-breakpoint
DROP TABLE `alert_deliveries`;--> statement-breakpoint
CREATE TABLE `alert_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`alert_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`alert_key` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`transport` text DEFAULT '' NOT NULL,
	`recipients` text DEFAULT '[]' NOT NULL,
	`recipient_outcomes` text DEFAULT '[]' NOT NULL,
	`subject` text DEFAULT '' NOT NULL,
	`error` text,
	`job` text,
	`next_attempt_at` integer,
	`retry_until` integer,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`sent_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`alert_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `alert_deliveries`("id", "workspace_id", "alert_id", "contact_id", "alert_key", "status", "attempts", "transport", "recipients", "recipient_outcomes", "subject", "error", "job", "next_attempt_at", "retry_until", "created_at", "updated_at", "sent_at") SELECT "id", "workspace_id", "alert_id", "contact_id", "alert_key", "status", "attempts", "transport", "recipients", "recipient_outcomes", "subject", "error", "job", "next_attempt_at", "retry_until", "created_at", "updated_at", "sent_at" FROM `__old_alert_deliveries`;--> statement-breakpoint
DROP TABLE `__old_alert_deliveries`;--> statement-breakpoint
CREATE UNIQUE INDEX `alert_deliveries_alert_key_unique` ON `alert_deliveries` (`alert_key`);--> statement-breakpoint
CREATE INDEX `alert_deliveries_workspace_created` ON `alert_deliveries` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `alert_deliveries_due` ON `alert_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `alert_deliveries_contact` ON `alert_deliveries` (`contact_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `alert_deliveries_alert_created` ON `alert_deliveries` (`workspace_id`,`alert_id`,`created_at`,`status`);--> statement-breakpoint
CREATE INDEX `alert_deliveries_alert_sent` ON `alert_deliveries` (`alert_id`,`sent_at`);--> statement-breakpoint
CREATE TABLE `__new_alert_delivery_counts` (
	`alert_id` text NOT NULL,
	`quarter_hour` integer NOT NULL,
	`status` text NOT NULL,
	`workspace_id` text NOT NULL,
	`deliveries` integer NOT NULL,
	PRIMARY KEY(`alert_id`, `quarter_hour`, `status`),
	FOREIGN KEY (`alert_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_alert_delivery_counts`("alert_id", "quarter_hour", "status", "workspace_id", "deliveries") SELECT "alert_id", "quarter_hour", "status", "workspace_id", "deliveries" FROM `alert_delivery_counts`;--> statement-breakpoint
DROP TABLE `alert_delivery_counts`;--> statement-breakpoint
ALTER TABLE `__new_alert_delivery_counts` RENAME TO `alert_delivery_counts`;--> statement-breakpoint
CREATE INDEX `alert_delivery_counts_read` ON `alert_delivery_counts` (`alert_id`,`quarter_hour`,`status`,`deliveries`,`workspace_id`);--> statement-breakpoint
CREATE TABLE `__new_alert_held_counts` (
	`alert_id` text NOT NULL,
	`quarter_hour` integer NOT NULL,
	`contact_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`held` integer NOT NULL,
	PRIMARY KEY(`alert_id`, `quarter_hour`, `contact_id`),
	FOREIGN KEY (`alert_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_alert_held_counts`("alert_id", "quarter_hour", "contact_id", "workspace_id", "held") SELECT "alert_id", "quarter_hour", "contact_id", "workspace_id", "held" FROM `alert_held_counts`;--> statement-breakpoint
DROP TABLE `alert_held_counts`;--> statement-breakpoint
ALTER TABLE `__new_alert_held_counts` RENAME TO `alert_held_counts`;--> statement-breakpoint
DROP TABLE `alerts`;--> statement-breakpoint
CREATE TRIGGER `alert_delivery_counts_insert` AFTER INSERT ON `alert_deliveries`
BEGIN
  INSERT INTO `alert_delivery_counts` (`alert_id`, `quarter_hour`, `status`, `workspace_id`, `deliveries`)
  VALUES (NEW.`alert_id`, CAST(NEW.`created_at` AS INTEGER) / 900000, NEW.`status`, NEW.`workspace_id`, 1)
  ON CONFLICT (`alert_id`, `quarter_hour`, `status`) DO UPDATE SET `deliveries` = `deliveries` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `alert_delivery_counts_update` AFTER UPDATE OF `status`, `alert_id`, `created_at` ON `alert_deliveries`
WHEN OLD.`status` IS NOT NEW.`status` OR OLD.`alert_id` IS NOT NEW.`alert_id` OR OLD.`created_at` IS NOT NEW.`created_at`
BEGIN
  UPDATE `alert_delivery_counts` SET `deliveries` = `deliveries` - 1
  WHERE `alert_id` = OLD.`alert_id` AND `quarter_hour` = CAST(OLD.`created_at` AS INTEGER) / 900000 AND `status` = OLD.`status`;
  INSERT INTO `alert_delivery_counts` (`alert_id`, `quarter_hour`, `status`, `workspace_id`, `deliveries`)
  VALUES (NEW.`alert_id`, CAST(NEW.`created_at` AS INTEGER) / 900000, NEW.`status`, NEW.`workspace_id`, 1)
  ON CONFLICT (`alert_id`, `quarter_hour`, `status`) DO UPDATE SET `deliveries` = `deliveries` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `alert_delivery_counts_delete` AFTER DELETE ON `alert_deliveries`
BEGIN
  UPDATE `alert_delivery_counts` SET `deliveries` = `deliveries` - 1
  WHERE `alert_id` = OLD.`alert_id` AND `quarter_hour` = CAST(OLD.`created_at` AS INTEGER) / 900000 AND `status` = OLD.`status`;
END;
