ALTER TYPE "dbdeck"."sign_in_throttle_scope" ADD VALUE 'account' BEFORE 'global';--> statement-breakpoint
ALTER TABLE "dbdeck"."api_tokens" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "dbdeck"."users" ADD COLUMN "sso_issuer" text;--> statement-breakpoint
ALTER TABLE "dbdeck"."users" ADD COLUMN "sso_subject" text;--> statement-breakpoint
CREATE UNIQUE INDEX "users_sso_identity" ON "dbdeck"."users" USING btree ("sso_issuer","sso_subject");