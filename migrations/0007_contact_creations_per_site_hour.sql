CREATE TABLE `contact_creations` (
	`site_id` text NOT NULL,
	`hour_start` integer NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`site_id`, `hour_start`)
);
