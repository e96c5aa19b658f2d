"""Foreign keys that a composite index begins with lose their own index (see shubbak.migration_ops.drop_index)."""

import django.db.models.deletion
from django.db import migrations, models

from shubbak.migration_ops import drop_index


class Migration(migrations.Migration):

    dependencies = [
        ('helpdesk', '0005_fk_indexes_in_composites'),
        ('organisations', '0002_network_youth_max_age'),
        ('referrals', '0005_directory_offer_load_index'),
    ]

    state_operations = [
        migrations.AlterField(
            model_name='expert',
            name='network',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='experts', to='organisations.network', verbose_name='network'),
        ),
        migrations.AlterField(
            model_name='offer',
            name='service',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='offers', to='helpdesk.service', verbose_name='service'),
        ),
        migrations.AlterField(
            model_name='questionnaireresponse',
            name='questionnaire',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='responses', to='referrals.questionnaire', verbose_name='questionnaire'),
        ),
        migrations.AlterField(
            model_name='referral',
            name='expert',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='referrals', to='referrals.expert', verbose_name='expert'),
        ),
        migrations.AlterField(
            model_name='referral',
            name='from_organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='referrals_sent', to='organisations.organisation', verbose_name='from'),
        ),
        migrations.AlterField(
            model_name='referral',
            name='offer',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='referrals', to='referrals.offer', verbose_name='offer'),
        ),
        migrations.AlterField(
            model_name='referral',
            name='to_organisation',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='referrals_received', to='organisations.organisation', verbose_name='to'),
        ),
        migrations.AlterField(
            model_name='referraltally',
            name='from_organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation', verbose_name='from'),
        ),
        migrations.AlterField(
            model_name='timesheet',
            name='assignment',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='timesheets', to='referrals.assignment', verbose_name='assignment'),
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=state_operations,
            database_operations=[
                drop_index("referrals_expert", "network_id", "referrals_expert_network_id_b661cfa4"),
                drop_index("referrals_offer", "service_id", "referrals_offer_service_id_e9c94a0e"),
                drop_index("referrals_questionnaireresponse", "questionnaire_id", "referrals_questionnaireresponse_questionnaire_id_0fc0a419"),
                drop_index("referrals_referral", "expert_id", "referrals_referral_expert_id_c4f92fe5"),
                drop_index("referrals_referral", "from_organisation_id", "referrals_referral_from_organisation_id_75514f4c"),
                drop_index("referrals_referral", "offer_id", "referrals_referral_offer_id_e8ff6d78"),
                drop_index("referrals_referral", "to_organisation_id", "referrals_referral_to_organisation_id_c2d38841"),
                drop_index("referrals_referraltally", "from_organisation_id", "referrals_referraltally_from_organisation_id_e3d61e04"),
                drop_index("referrals_timesheet", "assignment_id", "referrals_timesheet_assignment_id_6e6a481a"),
            ],
        )
    ]
