DROP TABLE `page_views`;--> statement-breakpoint
DROP TABLE `sites`;