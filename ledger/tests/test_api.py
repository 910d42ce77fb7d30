"""The ledger in the API: everyone with access reads, a unit writes its own rows, and a refused write changes nothing.

The permission matrix: sessions and API keys × every write path, against 渝北's task, note and round item.
"""
import datetime

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from districts.tests.test_api_permissions import client_as
from ledger.models import ProgressNote, Round, RoundItem, Task
from tests.test_guessed_ids import table_digest

PRINCIPALS = ["yubei_clerk", "wanzhou_clerk", "city_staff", "city_viewer", "api_consumer", "anonymous",
              "read_key", "revoked_key", "yubei_write_key", "wanzhou_write_key"]
YUBEI = ("yubei_clerk", "yubei_write_key")
WANZHOU = ("wanzhou_clerk", "wanzhou_write_key")


def allowed(path, principal):
    return {
        "create": principal in YUBEI or principal == "city_staff",
        "create_for_wanzhou": principal in WANZHOU or principal == "city_staff",
        "update": principal in YUBEI or principal == "city_staff",
        "move_to_wanzhou": False,  # a task's unit is never changed through the API
        "note": principal in YUBEI or principal == "city_staff",
        "answer": principal in YUBEI,  # units answer for themselves
    }[path]


def attempt(path, client, objects):
    task, item = objects["task"], objects["item"]
    new = {"title": "接口新增任务", "office": "科技创新科", "owner": "李科长", "start": "2026-01-01",
           "due": "2026-12-31"}
    calls = {
        "create": ("post", "/api/v1/tasks/", new | {"unit": "500112"}),
        "create_for_wanzhou": ("post", "/api/v1/tasks/", new | {"unit": "500101"}),
        "update": ("patch", f"/api/v1/tasks/{task.pk}/", {"progress": 95}),
        "move_to_wanzhou": ("patch", f"/api/v1/tasks/{task.pk}/", {"unit": "500101"}),
        "note": ("post", "/api/v1/progress-notes/", {"task": task.pk, "period": "2026Q3", "progress": 95,
                                                     "text": "完成中期评估"}),
        "answer": ("patch", f"/api/v1/round-items/{item.pk}/", {"answer": "已完成中期评估", "progress": 95}),
    }
    method, url, data = calls[path]
    return getattr(client, method)(url, data, format="json")


def ledger_state() -> tuple:
    return tuple(table_digest(model) for model in (Task, Task.history.model, ProgressNote, RoundItem))


@pytest.fixture
def objects(yubei_task, city_staff):
    round_ = Round.objects.create(title="四季度调度", due=datetime.date(2026, 12, 20), created_by=city_staff)
    return {"task": yubei_task, "item": RoundItem.objects.create(round=round_, task=yubei_task)}


def check(path, principal, response, changed) -> str | None:
    if allowed(path, principal):
        if response.status_code not in (200, 201) or not changed:
            return f"expected a write, got {response.status_code} {response.content.decode()[:300]}"
        return None
    if changed:
        return f"the database changed ({response.status_code})"
    if not {"code", "message", "errors"} <= set(response.json()):
        return "the error does not have the error shape"
    expected = {"anonymous": {401}, "revoked_key": {401}, "read_key": {403}}.get(principal, {400, 403, 404})
    return None if response.status_code in expected else f"status {response.status_code}, expected {expected}"


@pytest.mark.parametrize("path", ["create", "create_for_wanzhou", "update", "move_to_wanzhou", "note", "answer"])
def test_every_principal_on_every_ledger_write_path_and_refusals_change_nothing(request, objects, city_staff, path):
    clients = {principal: client_as(request, principal, city_staff) for principal in PRINCIPALS}
    problems = {}
    for principal, client in clients.items():
        with transaction.atomic():  # each principal starts from the same ledger
            before = ledger_state()
            response = attempt(path, client, objects)
            problem = check(path, principal, response, ledger_state() != before)
            transaction.set_rollback(True)
        if problem:
            problems[principal] = problem
    assert problems == {}


def test_a_clerks_new_task_is_their_own_units_whatever_they_leave_out(client_for, wanzhou_clerk):
    client = APIClient()
    client.force_login(wanzhou_clerk)
    response = client.post("/api/v1/tasks/", {"title": "三峡库区科技特派员", "kind": "project", "office": "农村科",
                                              "owner": "张科长", "start": "2026-03-01", "due": "2027-02-28",
                                              "article": "10b", "investment": "1200.50"}, format="json")
    assert response.status_code == 201, response.json()
    task = Task.objects.get(pk=response.json()["id"])
    assert (task.unit.code, task.kind, task.article.key) == ("500101", "project", "10b")
    assert str(task.investment) == "1200.50"
    assert response.json()["unit"] == "500101"
    assert task.history.latest().history_user == wanzhou_clerk


def test_a_write_breaking_a_task_rule_is_refused_with_the_field_and_nothing_changes(yubei_clerk, yubei_task):
    client = APIClient()
    client.force_login(yubei_clerk)
    before = ledger_state()
    done_at_half = client.patch(f"/api/v1/tasks/{yubei_task.pk}/", {"status": "done", "progress": 50}, format="json")
    due_before_start = client.patch(f"/api/v1/tasks/{yubei_task.pk}/", {"due": "2025-12-31"}, format="json")
    assert done_at_half.status_code == due_before_start.status_code == 400
    assert "100%" in str(done_at_half.json()["errors"])
    assert "完成时限不能早于开始日期" in str(due_before_start.json()["errors"])
    assert ledger_state() == before


def test_a_second_note_for_a_quarter_replaces_the_first_and_sets_the_tasks_progress(yubei_clerk, yubei_task):
    client = APIClient()
    client.force_login(yubei_clerk)
    for progress, text in ((92, "完成方案论证"), (96, "通过专家评审")):
        response = client.post("/api/v1/progress-notes/", {"task": yubei_task.pk, "period": "2026Q3",
                                                           "progress": progress, "text": text}, format="json")
        assert response.status_code == 201, response.json()
    notes = ProgressNote.objects.filter(task=yubei_task)
    assert [(n.period.code, n.progress, n.text) for n in notes] == [("2026Q3", 96, "通过专家评审")]
    yubei_task.refresh_from_db()
    assert yubei_task.progress == 96


def test_a_clerk_reads_only_their_units_ledger_and_the_bureau_reads_all(
    objects, wanzhou_task, wanzhou_clerk, city_viewer
):
    def seen(user, url):
        client = APIClient()
        client.force_login(user)
        return {row["unit"] for row in client.get(url).json()["results"]}

    for url in ("/api/v1/tasks/", "/api/v1/round-items/"):
        assert seen(wanzhou_clerk, url) <= {"500101"}
    assert seen(wanzhou_clerk, "/api/v1/tasks/") == {"500101"}
    assert seen(city_viewer, "/api/v1/tasks/") == {"500112", "500101"}
    # the round asks 渝北 only: 万州's clerk does not see it
    client = APIClient()
    client.force_login(wanzhou_clerk)
    assert client.get("/api/v1/rounds/").json()["count"] == 0


def test_an_answer_through_the_api_is_recorded_with_who_and_when(objects, yubei_clerk):
    client = APIClient()
    client.force_login(yubei_clerk)
    response = client.patch(f"/api/v1/round-items/{objects['item'].pk}/", {"answer": "  已完成  "}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["answer"], response.json()["answered_by"]) == ("已完成", "yubei_staff")
    assert response.json()["answered_at"] is not None
    rounds = client.get("/api/v1/rounds/").json()["results"]
    assert rounds[0]["items"][0]["answer"] == "已完成"


def test_an_unchanged_task_list_answers_304_to_its_etag(yubei_clerk, yubei_task):
    client = APIClient()
    client.force_login(yubei_clerk)
    first = client.get("/api/v1/tasks/")
    assert client.get("/api/v1/tasks/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    client.patch(f"/api/v1/tasks/{yubei_task.pk}/", {"progress": 93}, format="json")
    assert client.get("/api/v1/tasks/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_the_task_list_page_and_the_api_answer_a_filter_with_the_same_tasks(city_viewer, client_for, yubei_task,
                                                                             wanzhou_task):
    from ledger.tests.conftest import make_task

    late = make_task("500101", "逾期的科技特派员任务", start=datetime.date(2025, 1, 1), due=datetime.date(2025, 6, 30),
                     status="in_progress", progress=30)
    make_task("500112", "逾期但已完成的任务", start=datetime.date(2025, 1, 1), due=datetime.date(2025, 6, 30),
              status="done", progress=100)
    page = client_for(city_viewer).get("/ledger/", {"overdue": "on", "kind": "task"}).content.decode()
    api = APIClient()
    api.force_login(city_viewer)
    rows = api.get("/api/v1/tasks/", {"overdue": "true", "kind": "task"}).json()["results"]
    # overdue: still open (not started or in progress) and past its due date
    assert [row["title"] for row in rows] == [late.title]
    assert late.title in page and yubei_task.title not in page and "逾期但已完成的任务" not in page
