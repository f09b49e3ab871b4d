CREATE TYPE "dbdeck"."sign_in_throttle_scope" AS ENUM('pair', 'address', 'global');--> statement-breakpoint
CREATE TABLE "dbdeck"."ended_sessions" (
	"session_id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"ended_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dbdeck"."sign_in_throttle" (
	"scope" "dbdeck"."sign_in_throttle_scope" NOT NULL,
	"key" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"window_started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"next_allowed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sign_in_throttle_scope_key_pk" PRIMARY KEY("scope","key")
);
--> statement-breakpoint
ALTER TABLE "dbdeck"."users" ADD COLUMN "session_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "dbdeck"."ended_sessions" ADD CONSTRAINT "ended_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "dbdeck"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ended_sessions_ended_at" ON "dbdeck"."ended_sessions" USING btree ("ended_at");--> statement-breakpoint
CREATE INDEX "sign_in_throttle_last_attempt" ON "dbdeck"."sign_in_throttle" USING btree ("last_attempt_at");--> statement-breakpoint
DROP TABLE "dbdeck"."sign_in_failures" CASCADE;--> statement-breakpoint
DROP TYPE "dbdeck"."sign_in_limit_scope";