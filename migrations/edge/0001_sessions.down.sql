DROP INDEX `page_views_site_viewed_idx`;--> statement-breakpoint
ALTER TABLE `page_views` DROP COLUMN `session_id`;--> statement-breakpoint
DROP INDEX `sessions_site_started_idx`;--> statement-breakpoint
DROP TABLE `sessions`;