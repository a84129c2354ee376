from django.db import migrations, models

# Every order counts its lines and the request lines it buys together, as it keeps its
# totals, so reports read the orders alone.
FILL = """
UPDATE procurement_purchaseorder SET
    line_count = (
        SELECT COUNT(*) FROM procurement_purchaseorderline
        WHERE procurement_purchaseorderline.order_id = procurement_purchaseorder.id
    ),
    merged_count = (
        SELECT COUNT(*) FROM procurement_purchaserequestline
        INNER JOIN procurement_purchaseorderline
            ON procurement_purchaserequestline.order_line_id = procurement_purchaseorderline.id
        WHERE procurement_purchaseorderline.order_id = procurement_purchaseorder.id
    )
"""


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0006_report_sums"),
    ]

    operations = [
        migrations.AddField(
            model_name="purchaseorder",
            name="line_count",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="order lines"
            ),
        ),
        migrations.AddField(
            model_name="purchaseorder",
            name="merged_count",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="How many request lines the order buys together.",
                verbose_name="request lines merged",
            ),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop, elidable=True),
    ]
