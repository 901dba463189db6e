"""The count of writes that the facets' content version reads (``articles.facets.version``)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_drop_aliases_claiming_addresses"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentWrites",
            fields=[
                ("id", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ("writes", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "content writes",
                "verbose_name_plural": "content writes",
            },
        ),
    ]
