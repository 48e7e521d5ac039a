"""The reminder task moved from strategies to the portal (docs/decisions/0014): reminders queued
before the move, and still waiting for the worker, name the task by its old dotted path, which
the worker could no longer import. They are pointed at its new home, so none is lost."""

from django.db import migrations

OLD = "strategies.reminders.send_reminder"
NEW = "portal.reminders.tasks.send_reminder"


def point_at(old: str, new: str):
    def move(apps, schema_editor):
        DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
        table = schema_editor.quote_name(DBTaskResult._meta.db_table)
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {schema_editor.quote_name('task_path')} = %s "
                f"WHERE {schema_editor.quote_name('task_path')} = %s",
                [new, old],
            )

    return move


class Migration(migrations.Migration):
    dependencies = [("django_tasks_database", "0001_initial")]

    operations = [migrations.RunPython(point_at(OLD, NEW), point_at(NEW, OLD))]
