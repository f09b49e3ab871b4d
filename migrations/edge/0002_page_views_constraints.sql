PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_page_views` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`session_id` text,
	`path` text NOT NULL,
	`referrer` text,
	`country` text,
	`viewed_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "page_views_country_iso" CHECK("__new_page_views"."country" IS NULL OR length("__new_page_views"."country") = 2)
);
--> statement-breakpoint
INSERT INTO `__new_page_views`("id", "site_id", "session_id", "path", "referrer", "country", "viewed_at") SELECT "id", "site_id", "session_id", "path", "referrer", "country", "viewed_at" FROM `page_views`;--> statement-breakpoint
DROP TABLE `page_views`;--> statement-breakpoint
ALTER TABLE `__new_page_views` RENAME TO `page_views`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `page_views_site_viewed_idx` ON `page_views` (`site_id`,`viewed_at`);