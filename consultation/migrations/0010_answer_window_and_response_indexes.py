"""Each answer keeps its response's window (so the agreement per priority is counted from one
index), and the responses get the indexes the analysis page reads them by."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def answers_take_their_windows(apps, schema_editor):
    PriorityAnswer = apps.get_model("consultation", "PriorityAnswer")
    Response = apps.get_model("consultation", "Response")
    PriorityAnswer.objects.update(
        window_id=models.Subquery(
            Response.objects.filter(pk=models.OuterRef("response_id")).values("window_id")[:1]
        )
    )


class Migration(migrations.Migration):

    dependencies = [
        ('consultation', '0009_channels_imports_suggestions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='response',
            options={'ordering': ['-submitted_at', '-pk']},
        ),
        migrations.AddField(
            model_name='priorityanswer',
            name='window',
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='consultation.consultationwindow'),
        ),
        migrations.RunPython(answers_take_their_windows, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='priorityanswer',
            name='window',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='consultation.consultationwindow'),
        ),
        migrations.AddIndex(
            model_name='priorityanswer',
            index=models.Index(fields=['window', 'priority_id', 'agreement'], name='answer_agreement_count'),
        ),
        migrations.AddIndex(
            model_name='response',
            index=models.Index(fields=['window', '-submitted_at', '-id'], name='response_newest_first'),
        ),
        migrations.AddIndex(
            model_name='response',
            index=models.Index(fields=['window', 'respondent_type', 'submitted_at'], name='response_type_and_time'),
        ),
    ]
