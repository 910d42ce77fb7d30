"""District staff keep their own unit's ledger and nobody else's; municipal staff see every unit."""
import datetime

from django.contrib.auth.models import Group

from conftest import make_user
from districts.models import Unit
from ledger.models import LeaderAssignment, Task
from ledger.tests.conftest import make_task
from portal import roles


def edit_data(task, **changes):
    data = {"kind": task.kind, "title": task.title, "article": task.article_id, "office": task.office,
            "owner": task.owner, "start": task.start.isoformat(), "due": task.due.isoformat(),
            "status": task.status, "progress": task.progress, "investment": "", "description": ""}
    return data | changes


def test_a_clerk_updates_a_task_of_their_own_unit(client_for, yubei_clerk, yubei_task):
    response = client_for(yubei_clerk).post(f"/ledger/{yubei_task.pk}/edit/", edit_data(yubei_task, progress=95))
    assert response.status_code == 302
    yubei_task.refresh_from_db()
    assert yubei_task.progress == 95
    assert yubei_task.history.first().history_user == yubei_clerk


def test_it_refuses_a_clerk_posting_to_a_task_of_another_district(client_for, yubei_clerk, wanzhou_task):
    before = Task.objects.values().get(pk=wanzhou_task.pk)
    client = client_for(yubei_clerk)
    assert client.post(f"/ledger/{wanzhou_task.pk}/edit/", edit_data(wanzhou_task, progress=100,
                                                                      status="done")).status_code == 404
    assert client.post(f"/ledger/{wanzhou_task.pk}/", {"period": 1, "progress": 100, "text": "x"}).status_code == 404
    assert client.get(f"/ledger/{wanzhou_task.pk}/").status_code == 404
    assert Task.objects.values().get(pk=wanzhou_task.pk) == before
    assert not wanzhou_task.notes.exists()


def test_a_clerk_cannot_create_a_task_for_another_unit_by_naming_it(client_for, yubei_clerk, wanzhou_task):
    wanzhou = Unit.objects.get(code="500101")
    data = edit_data(wanzhou_task, title="冒名任务") | {"unit": wanzhou.pk}
    response = client_for(yubei_clerk).post("/ledger/new/", data)
    assert response.status_code == 302
    created = Task.objects.get(title="冒名任务")
    assert created.unit.code == "500112"  # the unit comes from the clerk, never from the form


def test_the_list_shows_a_clerk_only_their_own_units_tasks(client_for, yubei_clerk, yubei_task, wanzhou_task):
    page = client_for(yubei_clerk).get("/ledger/").content.decode()
    assert yubei_task.title in page
    assert wanzhou_task.title not in page


def test_municipal_staff_see_every_units_tasks_and_filter_them(client_for, city_staff, yubei_task, wanzhou_task):
    client = client_for(city_staff)
    page = client.get("/ledger/").content.decode()
    assert yubei_task.title in page and wanzhou_task.title in page
    filtered = client.get("/ledger/", {"unit": wanzhou_task.unit.code}).content.decode()
    assert wanzhou_task.title in filtered and yubei_task.title not in filtered


def test_a_municipal_viewer_reads_but_cannot_change(client_for, city_viewer, yubei_task):
    client = client_for(city_viewer)
    assert client.get(f"/ledger/{yubei_task.pk}/").status_code == 200
    assert client.post(f"/ledger/{yubei_task.pk}/edit/", edit_data(yubei_task, progress=1)).status_code == 404
    yubei_task.refresh_from_db()
    assert yubei_task.progress == 90


def test_a_leader_sees_only_the_units_assigned(client_for, chongqing, yubei_task, wanzhou_task):
    leader = make_user("leader_liu", roles.MUNICIPAL_VIEWER, first_name="刘局长")
    LeaderAssignment.objects.create(leader=leader).units.set(Unit.objects.filter(code="500101"))
    overdue = make_task("500101", "万州逾期任务", start=datetime.date(2025, 1, 1), due=datetime.date(2025, 6, 30))
    make_task("500112", "渝北逾期任务", start=datetime.date(2025, 1, 1), due=datetime.date(2025, 6, 30))
    page = client_for(leader).get("/ledger/leader/").content.decode()
    assert "万州区" in page and overdue.title in page
    assert "渝北" not in page


def test_a_leader_without_an_assignment_is_told_so(client_for, city_viewer):
    page = client_for(city_viewer).get("/ledger/leader/").content.decode()
    assert "尚未被分配联系区县" in page


def test_district_staff_have_no_rights_on_rounds_or_assignments(chongqing):
    clerk_perms = set(Group.objects.get(name=roles.DISTRICT_STAFF).permissions.values_list("codename", flat=True))
    assert {"add_task", "change_task", "change_rounditem"} <= clerk_perms
    assert not {"add_round", "change_leaderassignment", "delete_task"} & clerk_perms


def test_municipal_staff_create_a_task_for_the_unit_they_choose(client_for, city_staff, wanzhou_task):
    data = edit_data(wanzhou_task, title="市局代录任务") | {"unit": wanzhou_task.unit_id}
    response = client_for(city_staff).post("/ledger/new/", data)
    assert response.status_code == 302
    assert Task.objects.get(title="市局代录任务").unit == wanzhou_task.unit


def test_a_form_error_names_the_field_and_what_is_accepted(client_for, yubei_clerk, yubei_task):
    response = client_for(yubei_clerk).post(f"/ledger/{yubei_task.pk}/edit/",
                                            edit_data(yubei_task, due="2025-01-01", progress=100))
    page = response.content.decode()
    assert response.status_code == 200
    assert "完成时限不能早于开始日期" in page
    yubei_task.refresh_from_db()
    assert yubei_task.progress == 90
