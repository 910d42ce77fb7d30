from django.core.management.base import BaseCommand

from indicators.choices import RunTrigger
from indicators.services import dashboard_run_create, dashboards_compute


class Command(BaseCommand):
    help = "重新计算全部规划的指标看板（与每晚定时任务相同），并显示进度。"

    def handle(self, *args, **options):
        run = dashboard_run_create(trigger=RunTrigger.MANUAL)

        def progress(done, total):
            self.stdout.write(f"\r看板计算 {done}/{total}（{100 * done // total}%）", ending="")
            self.stdout.flush()

        run = dashboards_compute(run=run, progress=progress)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"看板计算完成：写入 {run.rows} 行，计算批次 #{run.pk}"))
