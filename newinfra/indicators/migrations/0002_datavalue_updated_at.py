# The version an edit form or an API client read the record at (issue 11: no lost update).

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="datavalue",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, verbose_name="更新时间"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicaldatavalue",
            name="updated_at",
            field=models.DateTimeField(
                blank=True, default=django.utils.timezone.now, editable=False, verbose_name="更新时间"
            ),
            preserve_default=False,
        ),
    ]
