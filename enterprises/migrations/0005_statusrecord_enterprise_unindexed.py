import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('enterprises', '0004_enterprise_name_trigram'),
    ]

    operations = [
        migrations.AlterField(
            model_name='statusrecord',
            name='enterprise',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='statuses', to='enterprises.enterprise', verbose_name='企业'),
        ),
        migrations.AlterField(
            model_name='historicalstatusrecord',
            name='enterprise',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='enterprises.enterprise', verbose_name='企业'),
        ),
    ]
