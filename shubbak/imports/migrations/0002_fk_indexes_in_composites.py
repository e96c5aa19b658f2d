"""Foreign keys that a composite index begins with lose their own index (see shubbak.migration_ops.drop_index)."""

import django.db.models.deletion
from django.db import migrations, models

from shubbak.migration_ops import drop_index


class Migration(migrations.Migration):

    dependencies = [
        ('imports', '0001_initial'),
        ('organisations', '0003_fk_indexes_in_composites'),
    ]

    state_operations = [
        migrations.AlterField(
            model_name='columnmapping',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation', verbose_name='organisation'),
        ),
        migrations.AlterField(
            model_name='importjob',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='import_jobs', to='organisations.organisation', verbose_name='organisation'),
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=state_operations,
            database_operations=[
                drop_index("imports_columnmapping", "organisation_id", "imports_columnmapping_organisation_id_81e39d4d"),
                drop_index("imports_importjob", "organisation_id", "imports_importjob_organisation_id_ebd44e5f"),
            ],
        )
    ]
