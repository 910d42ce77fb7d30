from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from districts.demo import DEMO_USERS, demo_context
from portal.databases import gather_statistics
from portal.demo import demo_seeders


class Command(BaseCommand):
    help = "生成演示数据（2021Q4–2026Q3 各区县季度数据和演示账号）。仅在 DEBUG 模式下可用。"

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo 只能在 DEBUG=1 时运行：演示数据不能进入生产数据库。")
        if get_user_model().objects.filter(username="admin").exists():
            self.stdout.write("演示数据已存在，跳过。")
        else:
            with transaction.atomic():
                ctx = demo_context(self.stdout.write)
                for _label, seed in demo_seeders():
                    seed(ctx)
                gather_statistics()
        self.print_logins()

    def print_logins(self):
        self.stdout.write(f"演示账号（密码均为 {settings.DEMO_PASSWORD}）：")
        for username, full_name, _role, _unit in DEMO_USERS:
            self.stdout.write(f"  {username:<14} {full_name}")
