# Review rounds with terms snapshots, approval bound to a draft document, drafts (issue 10)

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agreements', '0020_after_signing'),
    ]

    operations = [
        migrations.AddField(
            model_name='decision',
            name='document_sha256',
            field=models.CharField(blank=True, max_length=64, verbose_name='SHA-256'),
        ),
        migrations.AddField(
            model_name='decision',
            name='document_version',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agreements.documentversion', verbose_name='dokumentversjon'),
        ),
        migrations.AddField(
            model_name='documentversion',
            name='is_draft',
            field=models.BooleanField(default=False, verbose_name='utkast'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('created', 'Opprettet'), ('updated', 'Endret'), ('submitted', 'Sendt til gjennomgang'), ('reviewed', 'Gjennomgått'), ('reviews_concluded', 'Gjennomgang avsluttet'), ('approval_decided', 'Godkjenning besluttet'), ('signed', 'Signert'), ('activated', 'Aktivert'), ('task_claimed', 'Oppgave tatt'), ('task_released', 'Oppgave lagt tilbake'), ('reminder_sent', 'Påminnelse sendt'), ('terms_updated', 'Vilkår endret'), ('document_requested', 'Dokument bestilt'), ('document_ready', 'Dokument laget'), ('document_failed', 'Dokument feilet'), ('document_uploaded', 'Signert skanning lastet opp'), ('signing_requested', 'Signeringslenke sendt'), ('approval_reopened', 'Tilbake til godkjenning')], max_length=30, verbose_name='hendelse'),
        ),
        migrations.CreateModel(
            name='ReviewRound',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(verbose_name='runde')),
                ('terms', models.JSONField(default=dict, verbose_name='vilkår ved innsending')),
                ('areas', models.JSONField(default=list, verbose_name='områder som gjennomgår')),
                ('submitted_at', models.DateTimeField(auto_now_add=True, verbose_name='sendt til gjennomgang')),
                ('agreement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='review_rounds', to='agreements.agreement')),
            ],
            options={
                'verbose_name': 'gjennomgangsrunde',
                'verbose_name_plural': 'gjennomgangsrunder',
                'ordering': ['number'],
                'constraints': [models.UniqueConstraint(fields=('agreement', 'number'), name='review_round_once')],
            },
        ),
    ]
