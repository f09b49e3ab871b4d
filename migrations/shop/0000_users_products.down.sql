DROP TABLE "users";--> statement-breakpoint
DROP TABLE "products";