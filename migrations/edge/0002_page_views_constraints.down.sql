PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_page_views` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`path` text NOT NULL,
	`referrer` text,
	`country` text,
	`viewed_at` integer NOT NULL,
	`session_id` text
);
--> statement-breakpoint
INSERT INTO `__new_page_views`("id", "site_id", "path", "referrer", "country", "viewed_at", "session_id") SELECT "id", "site_id", "path", "referrer", "country", "viewed_at", "session_id" FROM `page_views`;--> statement-breakpoint
DROP TABLE `page_views`;--> statement-breakpoint
ALTER TABLE `__new_page_views` RENAME TO `page_views`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `page_views_site_viewed_idx` ON `page_views` (`site_id`,`viewed_at`);