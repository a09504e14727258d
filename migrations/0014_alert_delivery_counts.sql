CREATE TABLE `alert_delivery_counts` (
	`alert_id` text NOT NULL,
	`quarter_hour` integer NOT NULL,
	`status` text NOT NULL,
	`workspace_id` text NOT NULL,
	`deliveries` integer NOT NULL,
	PRIMARY KEY(`alert_id`, `quarter_hour`, `status`),
	FOREIGN KEY (`alert_id`) REFERENCES `alerts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- Outbox rows already there, counted once; from here on the triggers below keep the counts.
INSERT INTO `alert_delivery_counts` (`alert_id`, `quarter_hour`, `status`, `workspace_id`, `deliveries`)
SELECT `alert_id`, CAST(`created_at` AS INTEGER) / 900000, `status`, max(`workspace_id`), count(*) FROM `alert_deliveries`
WHERE true GROUP BY `alert_id`, CAST(`created_at` AS INTEGER) / 900000, `status`;--> statement-breakpoint
-- Each trigger runs inside the statement that writes the outbox row, so a count can never miss a
-- write nor see half of one. Bodies without a CASE expression: wrangler's statement splitter ends a
-- trigger at its first END.
CREATE TRIGGER `alert_delivery_counts_insert` AFTER INSERT ON `alert_deliveries`
BEGIN
  INSERT INTO `alert_delivery_counts` (`alert_id`, `quarter_hour`, `status`, `workspace_id`, `deliveries`)
  VALUES (NEW.`alert_id`, CAST(NEW.`created_at` AS INTEGER) / 900000, NEW.`status`, NEW.`workspace_id`, 1)
  ON CONFLICT (`alert_id`, `quarter_hour`, `status`) DO UPDATE SET `deliveries` = `deliveries` + 1;
END;--> statement-breakpoint
-- A change of status (or, never done today, of alert or creation time) moves one count.
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
