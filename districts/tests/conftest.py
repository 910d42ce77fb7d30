import pytest

from districts.models import Period, Submission, Unit
from enterprises.models import EnterpriseFigures


@pytest.fixture
def quarter_rows(chongqing):
    """Enterprise counts of 渝北 and 万州 for 2025Q3 and 2025Q4, and their 2025Q4 submissions."""
    periods = [Period.objects.get_by_code(code) for code in ("2025Q3", "2025Q4")]
    rows = []
    for code, base in (("500112", 1000), ("500101", 300)):
        unit = Unit.objects.get(code=code)
        for step, period in enumerate(periods):
            rows.append(EnterpriseFigures.objects.create(
                unit=unit, period=period, tech_smes=base + 10 * step, high_tech=base // 10 + step
            ))
        Submission.objects.create(unit=unit, period=periods[1])
    return rows
