DROP TABLE "cart_items";--> statement-breakpoint
DROP TABLE "carts";