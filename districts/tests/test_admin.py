"""The admin holds figures to the quarter's rules: own unit only, locked once submitted, same validation."""
from districts.models import Unit
from districts.services import figures_save, submission_submit
from enterprises.models import EnterpriseFigures
from funds.models import EconomyFigures


def test_a_clerk_can_pick_only_their_own_unit_in_the_admin(client_for, yubei_clerk, yubei, quarter):
    html = client_for(yubei_clerk).get("/admin/enterprises/enterprisefigures/add/").content.decode()
    unit_select = html[html.index('name="unit"'):html.index("</select>", html.index('name="unit"'))]
    assert f'value="{yubei.pk}"' in unit_select
    others = Unit.objects.exclude(pk=yubei.pk).values_list("pk", flat=True)
    assert not any(f'value="{pk}"' in unit_select for pk in others)


def test_a_clerk_sees_only_their_units_rows_in_the_admin(client_for, yubei_clerk, wanzhou_clerk, wanzhou, quarter):
    figures_save(user=wanzhou_clerk, unit=wanzhou, period=quarter, values={"enterprises.tech_smes": 1})
    html = client_for(yubei_clerk).get("/admin/enterprises/enterprisefigures/").content.decode()
    assert "万州区" not in html


def test_the_admin_refuses_a_figure_the_quarter_page_would_refuse(client_for, yubei_clerk, yubei, quarter):
    response = client_for(yubei_clerk).post("/admin/enterprises/enterprisefigures/add/", {
        "unit": yubei.pk, "period": quarter.pk, "specialised_smes": "3", "little_giants": "4",
    })
    assert response.status_code == 200
    assert "“小巨人”企业数（4）多于专精特新中小企业数（3）" in response.content.decode()
    assert not EnterpriseFigures.objects.filter(unit=yubei).exists()


def test_the_admin_refuses_a_clerk_on_a_submitted_quarter(client_for, yubei_clerk, yubei, quarter, yubei_submission):
    figures_save(user=yubei_clerk, unit=yubei, period=quarter, values={"enterprises.tech_smes": 1})
    submission_submit(user=yubei_clerk, submission=yubei_submission, explanations={})
    response = client_for(yubei_clerk).post("/admin/funds/economyfigures/add/", {
        "unit": yubei.pk, "period": quarter.pk, "rd_spending": "10",
    })
    assert "已锁定" in response.content.decode()
    assert not EconomyFigures.objects.filter(unit=yubei).exists()


def test_an_admin_save_is_versioned_and_kept_in_history(client_for, city_staff, yubei, quarter, yubei_submission):
    response = client_for(city_staff).post("/admin/enterprises/enterprisefigures/add/", {
        "unit": yubei.pk, "period": quarter.pk, "tech_smes": "42",
    })
    assert response.status_code == 302
    row = EnterpriseFigures.objects.get(unit=yubei, period=quarter)
    assert (row.tech_smes, row.updated_by, row.history.latest().history_user) == (42, city_staff, city_staff)
    assert yubei_submission.__class__.objects.get(pk=yubei_submission.pk).version == yubei_submission.version + 1


def test_the_workflow_is_read_only_in_the_admin(client_for, city_staff, yubei_submission):
    from districts.models import FigureNote
    from districts.services import figure_query_raise

    note = figure_query_raise(user=city_staff, submission=yubei_submission, figure="enterprises.tech_smes", text="?")
    client = client_for(city_staff)
    for url in ("/admin/districts/submission/", f"/admin/districts/submission/{yubei_submission.pk}/change/",
                "/admin/districts/figurenote/", f"/admin/districts/figurenote/{note.pk}/change/",
                "/admin/districts/period/"):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/districts/submission/add/").status_code == 403
    client.post(f"/admin/districts/submission/{yubei_submission.pk}/change/", {"access": "closed"})
    assert yubei_submission.__class__.objects.get(pk=yubei_submission.pk).access == yubei_submission.access
    assert FigureNote.objects.count() == 1


def test_the_history_page_of_an_import_job_opens_though_imports_keep_no_edit_history(
    client_for, yubei_clerk, quarter
):
    from districts.models import ImportJob

    job = ImportJob.objects.create(created_by=yubei_clerk, content=b"unit\n", file_name="渝北.csv", period=quarter)
    response = client_for(yubei_clerk).get(f"/admin/districts/importjob/{job.pk}/history/")
    assert response.status_code == 200
    assert "渝北.csv" in response.content.decode()
