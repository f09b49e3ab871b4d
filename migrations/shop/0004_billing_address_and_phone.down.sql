ALTER TABLE "users" DROP COLUMN "phone";--> statement-breakpoint
ALTER TABLE "orders" DROP COLUMN "billing_address";