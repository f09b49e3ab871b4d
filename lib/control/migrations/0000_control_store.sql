CREATE SCHEMA "dbdeck";
--> statement-breakpoint
CREATE TYPE "dbdeck"."audit_result" AS ENUM('ok', 'denied', 'failed');--> statement-breakpoint
CREATE TYPE "dbdeck"."decision" AS ENUM('approved', 'rejected');--> statement-breakpoint
CREATE TYPE "dbdeck"."operation_kind" AS ENUM('apply', 'rollback', 'plan', 'seed', 'reset');--> statement-breakpoint
CREATE TYPE "dbdeck"."operation_status" AS ENUM('queued', 'running', 'succeeded', 'failed');--> statement-breakpoint
CREATE TYPE "dbdeck"."role" AS ENUM('admin', 'lead', 'qa', 'support');--> statement-breakpoint
CREATE TABLE "dbdeck"."api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"role" "dbdeck"."role" NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "dbdeck"."approvals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project" text NOT NULL,
	"environment" text NOT NULL,
	"tag" text NOT NULL,
	"sha256" text NOT NULL,
	"user_id" uuid NOT NULL,
	"decision" "dbdeck"."decision" NOT NULL,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dbdeck"."audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" uuid,
	"actor" text NOT NULL,
	"role" text,
	"action" text NOT NULL,
	"project" text,
	"environment" text,
	"migrations" text[] DEFAULT '{}'::text[] NOT NULL,
	"duration_ms" integer,
	"result" "dbdeck"."audit_result" NOT NULL,
	"error" text,
	"details" jsonb
);
--> statement-breakpoint
CREATE TABLE "dbdeck"."lint_acknowledgements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project" text NOT NULL,
	"environment" text NOT NULL,
	"tag" text NOT NULL,
	"sha256" text NOT NULL,
	"user_id" uuid NOT NULL,
	"rules" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dbdeck"."operations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "dbdeck"."operation_kind" NOT NULL,
	"project" text NOT NULL,
	"environment" text NOT NULL,
	"status" "dbdeck"."operation_status" DEFAULT 'queued' NOT NULL,
	"user_id" uuid,
	"actor" text NOT NULL,
	"role" "dbdeck"."role" NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"migrations" text[] DEFAULT '{}'::text[] NOT NULL,
	"progress" jsonb,
	"result" jsonb,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "dbdeck"."users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" "dbdeck"."role" NOT NULL,
	"password_hash" text,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
ALTER TABLE "dbdeck"."api_tokens" ADD CONSTRAINT "api_tokens_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "dbdeck"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dbdeck"."approvals" ADD CONSTRAINT "approvals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "dbdeck"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dbdeck"."lint_acknowledgements" ADD CONSTRAINT "lint_acknowledgements_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "dbdeck"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dbdeck"."operations" ADD CONSTRAINT "operations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "dbdeck"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "approvals_one_per_person" ON "dbdeck"."approvals" USING btree ("project","environment","tag","sha256","user_id");--> statement-breakpoint
CREATE INDEX "approvals_lookup" ON "dbdeck"."approvals" USING btree ("project","environment","tag");--> statement-breakpoint
CREATE INDEX "audit_events_at" ON "dbdeck"."audit_events" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_events_actor" ON "dbdeck"."audit_events" USING btree ("actor");--> statement-breakpoint
CREATE INDEX "audit_events_environment" ON "dbdeck"."audit_events" USING btree ("project","environment");--> statement-breakpoint
CREATE UNIQUE INDEX "lint_acknowledgements_one" ON "dbdeck"."lint_acknowledgements" USING btree ("project","environment","tag","sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "operations_one_active" ON "dbdeck"."operations" USING btree ("project","environment") WHERE status in ('queued', 'running');--> statement-breakpoint
CREATE INDEX "operations_recent" ON "dbdeck"."operations" USING btree ("project","environment","created_at");