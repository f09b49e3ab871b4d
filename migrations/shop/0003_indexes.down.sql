DROP INDEX "orders_status_created_at_idx";--> statement-breakpoint
DROP INDEX "orders_user_id_idx";--> statement-breakpoint
DROP INDEX "order_items_product_id_idx";--> statement-breakpoint
DROP INDEX "order_items_order_id_idx";--> statement-breakpoint
DROP INDEX "carts_user_id_idx";--> statement-breakpoint
DROP INDEX "cart_items_cart_product_unique";--> statement-breakpoint
DROP INDEX "cart_items_cart_id_idx";