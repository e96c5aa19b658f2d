"""Foreign keys that a composite index begins with lose their own index (see shubbak.migration_ops.drop_index)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from shubbak.migration_ops import drop_index


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0002_network_youth_max_age'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.AlterField(
            model_name='membership',
            name='user',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL, verbose_name='user'),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='network',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='organisations', to='organisations.network', verbose_name='network'),
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=state_operations,
            database_operations=[
                drop_index("organisations_membership", "user_id", "organisations_membership_user_id_dfd8e4e8"),
                drop_index("organisations_organisation", "network_id", "organisations_organisation_network_id_bc477145"),
            ],
        )
    ]
