CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` integer NOT NULL,
	`device` text NOT NULL,
	`country` text,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_site_started_idx` ON `sessions` (`site_id`,`started_at`);--> statement-breakpoint
ALTER TABLE `page_views` ADD `session_id` text;--> statement-breakpoint
CREATE INDEX `page_views_site_viewed_idx` ON `page_views` (`site_id`,`viewed_at`);