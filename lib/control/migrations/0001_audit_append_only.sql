-- The audit log is append-only: no path may edit or delete an event, whatever the caller.
CREATE FUNCTION "dbdeck"."audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'dbdeck.audit_events is append-only: % is not allowed', TG_OP;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_events_no_update_or_delete" BEFORE UPDATE OR DELETE ON "dbdeck"."audit_events"
  FOR EACH ROW EXECUTE FUNCTION "dbdeck"."audit_events_append_only"();
--> statement-breakpoint
CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "dbdeck"."audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "dbdeck"."audit_events_append_only"();
