"""The database itself refuses to change or delete a ledger entry, whoever asks, but for its one
sealing (a number, the seal before it and its seal, given once to an entry that has none): on
PostgreSQL a trigger refuses any other UPDATE and every DELETE (TRUNCATE, an owner's operation
that empties the table, shows against the last checkpoint); on SQLite a trigger refuses any other
UPDATE (the test runner empties tables with DELETE). A database superuser or the table's owner can still drop a trigger, which is why
the entries are sealed with a key the database does not hold, and checkpointed outside it."""

from django.db import migrations

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION audit_entry_never_changes() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND OLD.seal = ''
           AND NEW.id = OLD.id AND NEW.recorded_at = OLD.recorded_at AND NEW.kind = OLD.kind
           AND NEW.object_pk = OLD.object_pk AND NEW.action = OLD.action
           AND NEW.fields::text = OLD.fields::text AND NEW.mac = OLD.mac THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'The audit ledger is append-only: entry % cannot be changed or deleted.',
            OLD.id USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER audit_entry_never_changes
    BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_never_changes()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_entry_never_changes ON audit_entry",
    "DROP FUNCTION IF EXISTS audit_entry_never_changes()",
]
SQLITE = [
    """
    CREATE TRIGGER audit_entry_never_changes BEFORE UPDATE ON audit_entry
    WHEN NOT (OLD.seq IS NULL AND OLD.seal = '' AND NEW.id = OLD.id
              AND NEW.recorded_at = OLD.recorded_at AND NEW.kind = OLD.kind
              AND NEW.object_pk = OLD.object_pk AND NEW.action = OLD.action
              AND NEW.fields = OLD.fields AND NEW.mac = OLD.mac)
    BEGIN SELECT RAISE(ABORT, 'The audit ledger is append-only: an entry cannot be changed.');
    END
    """
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_entry_never_changes"]


def install(apps, schema_editor):
    for statement in {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}.get(vendor, []):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
