"""An .xlsx whose XML declares entities (billion laughs, an external file) is refused, nothing written.

openpyxl parses through defusedxml when it is installed (requirements.txt pins it), which forbids
entity declarations outright instead of expanding them.
"""
import io
import re
import zipfile

import pytest

from districts.choices import ImportStatus
from districts.tests.files import xlsx_bytes
from districts.tests.test_import import TECH, figures_snapshot, header, last_job, upload, yubei_client  # noqa: F401

LAUGHS = (
    '<!DOCTYPE worksheet [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10))
    + "]>"
)
EXTERNAL = '<!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
# The entity declared in a DTD outside the file: the parser reads the sheet lazily and meets `&secret;` undefined.
OUTSIDE_DTD = '<!DOCTYPE worksheet SYSTEM "file:///tmp/entities.dtd">'


def with_doctype(doctype: str, entity: str) -> bytes:
    """A real import file whose first sheet declares `doctype` and uses `&entity;` in a cell."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([header(TECH), ["500112", "渝北区", "7"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                text = re.sub(r"^(<\?xml[^>]*\?>)?", lambda m: (m.group(1) or "") + doctype, text, count=1)
                text = text.replace("渝北区", f"&{entity};", 1)
                data = text.encode()
            target.writestr(info, data)
    return buffer.getvalue()


@pytest.mark.parametrize(("doctype", "entity"), [(LAUGHS, "lol9"), (EXTERNAL, "secret"), (OUTSIDE_DTD, "secret")],
                         ids=["laughs", "external", "outside-dtd"])
def test_an_xlsx_declaring_xml_entities_is_refused_and_nothing_is_written(
    yubei_client, quarter, doctype, entity  # noqa: F811
):
    data = with_doctype(doctype, entity)
    assert b"<!DOCTYPE" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    before = figures_snapshot()
    response = upload(yubei_client, data, "entities.xlsx", quarter)
    assert response.status_code == 302
    job = last_job()
    assert job.status == ImportStatus.REJECTED
    assert "不是有效的 Excel" in job.error_summary
    assert "root:" not in job.error_summary and "lollol" not in job.error_summary
    assert figures_snapshot() == before


def test_openpyxl_parses_workbooks_through_defusedxml():
    import openpyxl

    assert openpyxl.DEFUSEDXML is True
