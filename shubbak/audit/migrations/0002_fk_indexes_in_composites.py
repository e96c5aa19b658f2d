"""Foreign keys that a composite index begins with lose their own index (see shubbak.migration_ops.drop_index)."""

import django.db.models.deletion
from django.db import migrations, models

from shubbak.migration_ops import drop_index


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('organisations', '0002_network_youth_max_age'),
    ]

    state_operations = [
        migrations.AlterField(
            model_name='auditentry',
            name='organisation',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='organisations.organisation', verbose_name='organisation'),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='target_type',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype', verbose_name='record type'),
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=state_operations,
            database_operations=[
                drop_index("audit_auditentry", "organisation_id", "audit_auditentry_organisation_id_de6bc33b"),
                drop_index("audit_auditentry", "target_type_id", "audit_auditentry_target_type_id_8ba17bba"),
            ],
        )
    ]
