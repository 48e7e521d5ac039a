"""Responses keep a history: who added each and how (never what the respondent wrote). Every
response already here gets its first history row, dated when it was sent; the audit ledger
enters those rows when `migrate` ends (audit/ledger.py, open_ledger: a table it did not keep
before)."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


KEPT = ["id", "window_id", "respondent_type", "consent", "is_demo", "channel", "received_on",
        "late", "keyed_by_id"]


def first_history_rows(apps, schema_editor):
    Response = apps.get_model("consultation", "Response")
    History = apps.get_model("consultation", "HistoricalResponse")
    batch = []
    for values in Response.objects.order_by("pk").values(*KEPT, "submitted_at").iterator(2000):
        batch.append(
            History(
                **{name: values[name] for name in KEPT},
                history_date=values["submitted_at"],
                history_type="+",
                history_user_id=values["keyed_by_id"],
                history_change_reason="On record before responses kept a history",
            )
        )
        if len(batch) == 2000:
            History.objects.bulk_create(batch)
            batch = []
    History.objects.bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ('consultation', '0010_answer_window_and_response_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalResponse',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('respondent_type', models.CharField(choices=[('individual', 'An individual'), ('organisation', 'An organisation'), ('group', 'On behalf of a group')], max_length=20)),
                ('consent', models.BooleanField()),
                ('is_demo', models.BooleanField(default=False, help_text="Made up for the demo, not a real person's.")),
                ('channel', models.CharField(choices=[('online', 'The online form'), ('paper', 'A paper form'), ('email', 'Email'), ('letter', 'Letter'), ('event', 'At an event'), ('imported', 'Another survey tool (imported)')], default='online', max_length=20)),
                ('received_on', models.DateField(blank=True, null=True)),
                ('late', models.BooleanField(default=False, help_text='Received after the consultation closed, and accepted.')),
                ('history_change_reason', models.TextField(null=True)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('keyed_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('window', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='consultation.consultationwindow')),
            ],
            options={
                'verbose_name': 'historical response',
                'verbose_name_plural': 'historical responses',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(first_history_rows, migrations.RunPython.noop),
    ]
