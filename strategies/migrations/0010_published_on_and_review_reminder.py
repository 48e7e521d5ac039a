"""A strategy keeps the day it was first published (its public page stays while it is reviewed
and once replaced), set by publishing from now on (a row changed by a migration would no longer match its
history, which verify_audit checks); and a reminder of a review due."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('strategies', '0009_indicator_polarity_and_review_date'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalstrategy',
            name='published_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='first published'),
        ),
        migrations.AddField(
            model_name='strategy',
            name='published_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='first published'),
        ),
        migrations.AlterField(
            model_name='historicalreminderpreference',
            name='kind',
            field=models.CharField(choices=[('gate_scheduled', 'A strategy is put on the agenda of a meeting you keep'), ('agenda_deadline', 'The agenda of a meeting you keep must be published within 3 working days'), ('decision_recorded', 'A body records a decision on your strategy'), ('consultation_closed', 'A consultation on your strategy closes'), ('gate_overdue', 'A gate you are concerned with is overdue'), ('review_due', 'A strategy you work on is due for review')], max_length=30),
        ),
        migrations.AlterField(
            model_name='reminderpreference',
            name='kind',
            field=models.CharField(choices=[('gate_scheduled', 'A strategy is put on the agenda of a meeting you keep'), ('agenda_deadline', 'The agenda of a meeting you keep must be published within 3 working days'), ('decision_recorded', 'A body records a decision on your strategy'), ('consultation_closed', 'A consultation on your strategy closes'), ('gate_overdue', 'A gate you are concerned with is overdue'), ('review_due', 'A strategy you work on is due for review')], max_length=30),
        ),
        migrations.AlterField(
            model_name='sentreminder',
            name='kind',
            field=models.CharField(choices=[('gate_scheduled', 'A strategy is put on the agenda of a meeting you keep'), ('agenda_deadline', 'The agenda of a meeting you keep must be published within 3 working days'), ('decision_recorded', 'A body records a decision on your strategy'), ('consultation_closed', 'A consultation on your strategy closes'), ('gate_overdue', 'A gate you are concerned with is overdue'), ('review_due', 'A strategy you work on is due for review')], max_length=30),
        ),
    ]
