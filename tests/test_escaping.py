"""Text users type (a platform name, a return comment) is shown escaped, never run, on every page showing it."""
import datetime

from django.utils import timezone

from districts.models import Period, Submission, Unit, UnitGroup
from districts.services import figures_save, period_open, submission_return, submission_submit
from evaluation.tests.conftest import FOUR, draft, pdf_text, period, published, scheme  # noqa: F401
from platforms.models import Platform

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt;"


def test_a_hostile_platform_name_and_return_comment_are_escaped_on_the_pages(
    yubei_clerk, city_staff, client_for
):
    yubei = Unit.objects.get(code="500112")
    platform = Platform.objects.create(unit=yubei, name=HOSTILE, kind="incubator", level="district")
    quarter = Period.objects.get_by_code("2026Q3")
    period_open(user=city_staff, period=quarter, deadline=timezone.localdate() + datetime.timedelta(days=30))
    figures_save(user=yubei_clerk, unit=yubei, period=quarter, values={"enterprises.tech_smes": 5})
    submission = submission_submit(user=yubei_clerk, submission=Submission.objects.get(unit=yubei, period=quarter))
    submission_return(user=city_staff, submission=submission, comment=HOSTILE)

    client = client_for(yubei_clerk)
    pages = {
        "platform list": client.get("/platforms/", {"unit": "500112"}),
        "platform detail": client.get(f"/platforms/{platform.pk}/"),
        "quarter": client.get("/quarters/2026Q3/500112/"),
    }

    for name, response in pages.items():
        page = response.content.decode()
        assert response.status_code == 200, name
        assert ESCAPED in page, name
        assert "<script>alert(1)" not in page and 'onerror="alert(2)"' not in page, name


def test_markup_in_names_prints_literally_in_the_evaluation_pdf(published, city_viewer, client_for):  # noqa: F811
    """reportlab's Paragraph reads mini-HTML: unescaped, a name with "<b>" turns bold and one with "&" or "<"
    breaks the PDF."""
    published.scheme.name = "R&D <b>方案</b>"
    published.scheme.save()
    published.method["scheme"] = published.scheme.name  # what the report prints: the name frozen with it
    published.save(update_fields=["method"])
    UnitGroup.objects.filter(code="central").update(name="<font size=40>中心</font> & 城区")
    names = []
    for code in FOUR:
        unit = Unit.objects.get(code=code)
        unit.name = f"{unit.name}<i>&"
        unit.save()
        names.append(unit.name)

    response = client_for(city_viewer).get(f"/evaluation/{published.pk}/report.pdf")
    text = pdf_text(response.content)

    assert response.status_code == 200
    assert "R&D <b>方案</b>" in text
    assert "<font size=40>中心</font> & 城区" in text
    assert any(f"{name}：" in text for name in names)  # a recommended unit's paragraph, named in full
