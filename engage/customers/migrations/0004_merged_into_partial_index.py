"""The index on `Customer.merged_into` holds merged records only (see the model's Meta).

The field's own index is dropped by name rather than by altering the field, which on SQLite would
copy the whole customers table to change nothing but an index.
"""

import django.db.models.deletion
from django.db import migrations, models

# The name Django gave the foreign key's index (the same on SQLite and PostgreSQL).
FULL_INDEX = "customers_customer_merged_into_id_2994ddb6"


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0003_identifier_lookup_covers_customer"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="customer",
                    name="merged_into",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="merged_records",
                        to="customers.customer",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{FULL_INDEX}"',
                    reverse_sql=f'CREATE INDEX "{FULL_INDEX}" ON "customers_customer" ("merged_into_id")',
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", False)),
                fields=["merged_into"],
                name="customer_merged_into",
            ),
        ),
    ]
