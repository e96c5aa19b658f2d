"""Foreign keys that a composite index begins with lose their own index (see shubbak.migration_ops.drop_index)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from shubbak.migration_ops import drop_index


class Migration(migrations.Migration):

    dependencies = [
        ('helpdesk', '0004_drop_duplicate_case_indexes'),
        ('organisations', '0002_network_youth_max_age'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.AlterField(
            model_name='case',
            name='assigned_to',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='cases', to=settings.AUTH_USER_MODEL, verbose_name='assigned to'),
        ),
        migrations.AlterField(
            model_name='case',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='organisations.organisation', verbose_name='organisation'),
        ),
        migrations.AlterField(
            model_name='caseevent',
            name='case',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='events', to='helpdesk.case', verbose_name='case'),
        ),
        migrations.AlterField(
            model_name='caseservice',
            name='case',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='services', to='helpdesk.case', verbose_name='case'),
        ),
        migrations.AlterField(
            model_name='followup',
            name='assigned_to',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='follow_ups', to=settings.AUTH_USER_MODEL, verbose_name='assigned to'),
        ),
        migrations.AlterField(
            model_name='followup',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation', verbose_name='organisation'),
        ),
        migrations.AlterField(
            model_name='holiday',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='holidays', to='organisations.organisation', verbose_name='organisation'),
        ),
        migrations.AlterField(
            model_name='service',
            name='network',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='services', to='organisations.network', verbose_name='network'),
        ),
        migrations.AlterField(
            model_name='session',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation', verbose_name='organisation'),
        ),
        migrations.AlterField(
            model_name='session',
            name='staff',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='sessions', to=settings.AUTH_USER_MODEL, verbose_name='staff'),
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=state_operations,
            database_operations=[
                drop_index("helpdesk_case", "assigned_to_id", "helpdesk_case_assigned_to_id_3ac89e0d"),
                drop_index("helpdesk_case", "organisation_id", "helpdesk_case_organisation_id_e0967447"),
                drop_index("helpdesk_caseevent", "case_id", "helpdesk_caseevent_case_id_8e30536a"),
                drop_index("helpdesk_caseservice", "case_id", "helpdesk_caseservice_case_id_50a3e135"),
                drop_index("helpdesk_followup", "assigned_to_id", "helpdesk_followup_assigned_to_id_d703ac73"),
                drop_index("helpdesk_followup", "organisation_id", "helpdesk_followup_organisation_id_f2b62655"),
                drop_index("helpdesk_holiday", "organisation_id", "helpdesk_holiday_organisation_id_e13c8632"),
                drop_index("helpdesk_service", "network_id", "helpdesk_service_network_id_44bd96ea"),
                drop_index("helpdesk_session", "organisation_id", "helpdesk_session_organisation_id_69b46bb8"),
                drop_index("helpdesk_session", "staff_id", "helpdesk_session_staff_id_e5446176"),
            ],
        )
    ]
