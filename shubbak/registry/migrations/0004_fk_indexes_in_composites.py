"""Foreign keys that a composite index begins with lose their own index (see shubbak.migration_ops.drop_index)."""

import django.db.models.deletion
from django.db import migrations, models

from shubbak.migration_ops import drop_index


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0002_network_youth_max_age'),
        ('registry', '0003_consent_recorded_by_optional'),
    ]

    state_operations = [
        migrations.AlterField(
            model_name='enterprise',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='enterprises', to='organisations.organisation', verbose_name='registered by'),
        ),
        migrations.AlterField(
            model_name='ownership',
            name='enterprise',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='ownerships', to='registry.enterprise', verbose_name='enterprise'),
        ),
        migrations.AlterField(
            model_name='person',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='people', to='organisations.organisation', verbose_name='registered by'),
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=state_operations,
            database_operations=[
                drop_index("registry_enterprise", "organisation_id", "registry_enterprise_organisation_id_1a091826"),
                drop_index("registry_ownership", "enterprise_id", "registry_ownership_enterprise_id_909c29c6"),
                drop_index("registry_person", "organisation_id", "registry_person_organisation_id_5a72c902"),
            ],
        )
    ]
