from django.core.management.base import BaseCommand
from django.db import transaction

from portal.reference import reference_loaders


class Command(BaseCommand):
    help = "加载参考数据（区县、分组、填报期、平台、资金、指标与规划）。可重复运行，不覆盖已有数据。"

    @transaction.atomic
    def handle(self, *args, **options):
        for _label, load in reference_loaders():
            load(self.stdout.write)
