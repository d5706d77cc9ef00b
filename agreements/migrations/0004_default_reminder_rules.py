"""Default reminder rules (issue 3); administrators change them in the admin."""

from django.db import migrations

# (name, deadline kind, offset, unit, repeat every, audience, escalation)
DEFAULT_RULES = [
    ("Oppgave: 5 arbeidsdager før fristen", "task_due", -5, "working_days", None, "assignee", False),
    ("Oppgave: 1 arbeidsdag før fristen", "task_due", -1, "working_days", None, "assignee", False),
    ("Oppgave: fristen er i dag", "task_due", 0, "working_days", None, "assignee", False),
    ("Oppgave: på overtid, hver 2. arbeidsdag", "task_due", 2, "working_days", 2, "assignee", False),
    ("Oppgave: eskalering etter 3 arbeidsdager på overtid", "task_due", 3, "working_days", None, "owner_approver", True),
    ("Måldato: 5 arbeidsdager før", "target_date", -5, "working_days", None, "owner", False),
    ("Måldato: på dagen", "target_date", 0, "working_days", None, "owner", False),
    ("Oppsigelsesfrist: 60 dager før", "notice_date", -60, "days", None, "owner", False),
    ("Oppsigelsesfrist: 30 dager før", "notice_date", -30, "days", None, "owner", False),
    ("Sluttdato: 30 dager før", "end_date", -30, "days", None, "owner", False),
]


def add_rules(apps, schema_editor):
    ReminderRule = apps.get_model("agreements", "ReminderRule")
    for name, kind, offset, unit, repeat, audience, escalation in DEFAULT_RULES:
        ReminderRule.objects.get_or_create(
            name=name,
            defaults={
                "deadline_kind": kind,
                "offset": offset,
                "unit": unit,
                "repeat_every": repeat,
                "audience": audience,
                "is_escalation": escalation,
            },
        )


def remove_rules(apps, schema_editor):
    ReminderRule = apps.get_model("agreements", "ReminderRule")
    ReminderRule.objects.filter(name__in=[r[0] for r in DEFAULT_RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("agreements", "0003_deadlines_and_reminders")]

    operations = [migrations.RunPython(add_rules, remove_rules)]
