"""case_person and case_enterprise repeated the indexes Django makes for those foreign keys: each case written kept
two B-trees more up to date for nothing."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0003_case_search_by_subject")]

    operations = [
        migrations.RemoveIndex(model_name="case", name="case_person"),
        migrations.RemoveIndex(model_name="case", name="case_enterprise"),
    ]
