DROP TABLE "tickets";
--> statement-breakpoint
DROP TABLE "agents";
