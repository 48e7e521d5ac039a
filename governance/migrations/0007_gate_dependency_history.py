"""Gate.waits_for gets an explicit through model, GateDependency, with its own history
(docs/decisions/0012-gate-dependencies-have-history.md).

The table is the one Django made for the plain many-to-many field, with the same columns and
unique pair, so the model is declared in the migration state only; the history table is new.
Each link already there gets one "created" history row, dated and attributed as its gate's
first history row (links were only ever set when their gate was added)."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

REASON = "Set when the gate was added (recorded when gate dependencies gained their own history)"


def record_existing_links(apps, schema_editor):
    links = apps.get_model("governance", "GateDependency")
    history = apps.get_model("governance", "HistoricalGateDependency")
    gate_history = apps.get_model("governance", "HistoricalGate")
    first = {}
    for row in gate_history.objects.order_by("history_date", "history_id").values(
        "id", "history_date", "history_user_id"
    ):
        first.setdefault(row["id"], row)
    history.objects.bulk_create(
        history(
            id=link.pk,
            from_gate_id=link.from_gate_id,
            to_gate_id=link.to_gate_id,
            history_date=first.get(link.from_gate_id, {}).get("history_date") or timezone.now(),
            history_user_id=first.get(link.from_gate_id, {}).get("history_user_id"),
            history_type="+",
            history_change_reason=REASON,
        )
        for link in links.objects.order_by("pk")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0006_gate_planned_until"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="GateDependency",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "from_gate",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="wait_links",
                                to="governance.gate",
                            ),
                        ),
                        (
                            "to_gate",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="unlock_links",
                                to="governance.gate",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name_plural": "gate dependencies",
                        "db_table": "governance_gate_waits_for",
                        "unique_together": {("from_gate", "to_gate")},
                    },
                ),
                migrations.AlterField(
                    model_name="gate",
                    name="waits_for",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="unlocks",
                        through="governance.GateDependency",
                        through_fields=("from_gate", "to_gate"),
                        to="governance.gate",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.CreateModel(
            name="HistoricalGateDependency",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("history_change_reason", models.TextField(null=True)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                        max_length=1,
                    ),
                ),
                (
                    "from_gate",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="governance.gate",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "to_gate",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="governance.gate",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical gate dependency",
                "verbose_name_plural": "historical gate dependencies",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(record_existing_links, migrations.RunPython.noop),
    ]
