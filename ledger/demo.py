"""Demo ledger: a few key tasks and projects per unit, some late, a leader's units and one round."""
import datetime

from django.contrib.auth import get_user_model
from simple_history.utils import bulk_create_with_history

from districts.models import PolicyArticle, Unit
from ledger.choices import TaskKind, TaskStatus
from ledger.models import LeaderAssignment, Round, RoundItem, Task

TASKS = (
    # kind, title, article key, office, months from 2025-01 to start, months to run
    (TaskKind.TASK, "科技型企业入库培育", "11", "企业服务科", 0, 24),
    (TaskKind.TASK, "高新技术企业申报辅导", "11", "高新技术科", 6, 12),
    (TaskKind.PROJECT, "“一区一平台”特色创新平台建设", "4", "规划科", 0, 30),
    (TaskKind.TASK, "科技金融“知识价值信用贷款”推广", "19", "科技金融科", 12, 12),
)
ANSWER = "平台建设按计划推进，已完成阶段性目标。"


def _month(start: datetime.date, months: int) -> datetime.date:
    year, month = divmod(start.month - 1 + months, 12)
    return datetime.date(start.year + year, month + 1, 1)


def seed(ctx):
    staff = get_user_model().objects.get(username="city_staff")
    articles = {a.key: a for a in PolicyArticle.objects.all()}
    base = datetime.date(2025, 1, 1)
    tasks = []
    for unit in ctx.units:
        for kind, title, article, office, start, months in TASKS:
            progress = ctx.rng.choice([20, 40, 55, 70, 85, 100])
            tasks.append(Task(
                unit=unit, kind=kind, title=title, article=articles.get(article), office=office,
                owner=ctx.rng.choice(["王", "李", "张", "刘", "陈"]) + "科长", start=_month(base, start),
                due=_month(base, start + months), progress=progress,
                status=TaskStatus.DONE if progress == 100 else TaskStatus.IN_PROGRESS,
                investment=ctx.rng.randint(500, 20000) if kind == TaskKind.PROJECT else None,
            ))
    bulk_create_with_history(tasks, Task)
    leader = get_user_model().objects.get(username="city_viewer")
    assignment, _ = LeaderAssignment.objects.get_or_create(leader=leader, defaults={"note": "联系渝东北片区"})
    assignment.units.set(Unit.objects.filter(group__code="northeast"))
    round_ = Round.objects.create(title="2026年第三季度重点任务调度", due=datetime.date(2026, 10, 15), created_by=staff,
                                  instructions="请各区县反馈特色创新平台建设进展。")
    platform_tasks = Task.objects.filter(title=TASKS[2][1])
    answered_at = datetime.datetime(2026, 10, 12, 10, tzinfo=datetime.UTC)
    items = []
    for task in platform_tasks:
        item = RoundItem(round=round_, task=task)
        if ctx.rng.random() < 0.7:  # most units have answered
            item.answer, item.progress, item.answered_at = ANSWER, task.progress, answered_at
        items.append(item)
    bulk_create_with_history(items, RoundItem)
    ctx.log(f"ledger: {len(tasks)} tasks, 1 round, {assignment.units.count()} units guided by {leader}")
