CREATE TYPE "dbdeck"."sign_in_limit_scope" AS ENUM('email', 'address');--> statement-breakpoint
CREATE TABLE "dbdeck"."sign_in_failures" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"scope" "dbdeck"."sign_in_limit_scope" NOT NULL,
	"key" text NOT NULL,
	"failed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "sign_in_failures_key" ON "dbdeck"."sign_in_failures" USING btree ("scope","key","failed_at");--> statement-breakpoint
CREATE INDEX "sign_in_failures_failed_at" ON "dbdeck"."sign_in_failures" USING btree ("failed_at");