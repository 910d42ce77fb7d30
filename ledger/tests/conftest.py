import datetime

import pytest

from districts.models import PolicyArticle, Unit
from ledger.models import Task

TODAY = datetime.date(2026, 11, 26)


def make_task(unit_code, title, *, start=datetime.date(2026, 1, 1), due=datetime.date(2026, 12, 31), **extra):
    fields = {"article": PolicyArticle.objects.get(key="10b"), "office": "科技创新科", "owner": "王科长"} | extra
    return Task.objects.create(unit=Unit.objects.get(code=unit_code), title=title, start=start, due=due, **fields)


@pytest.fixture
def yubei_task(chongqing):
    return make_task("500112", "国家农业高新技术产业示范区创建", status="in_progress", progress=90)


@pytest.fixture
def wanzhou_task(chongqing):
    return make_task("500101", "三峡科技创新中心建设", status="in_progress", progress=40)
