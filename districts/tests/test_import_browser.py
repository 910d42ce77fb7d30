"""A district clerk's import in a real browser: template, fill in Excel, upload, preview, confirm, quarter page."""

import pytest
from openpyxl import load_workbook

from conftest import ARTIFACTS
from districts.figures import quarter_values

pytestmark = pytest.mark.browser
TECH = "enterprises.tech_smes"


def test_a_clerk_downloads_the_template_fills_it_uploads_previews_and_confirms(
    yubei_clerk, quarter, yubei, live_server, chromium, tmp_path
):
    filled = tmp_path / "渝北区.xlsx"
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844}, accept_downloads=True)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "yubei_staff")
        page.fill("input[name=password]", "pw-for-tests-1")
        page.click("button[type=submit]")
        page.click("label[for=nav-open]")  # on a phone the menu is folded behind its button
        page.click("text=Excel 导入导出")
        with page.expect_download() as download:
            page.click("#template-link")
        template = tmp_path / "template.xlsx"
        download.value.save_as(template)
        workbook = load_workbook(template)
        sheet = workbook["季度数据"]
        assert sheet["A3"].value == "500112"
        sheet["D3"] = "1,234"  # typed with a thousands separator, as text
        workbook.save(filled)

        page.set_input_files("input[name=file]", str(filled))
        page.click("text=上传并预览")
        page.wait_for_selector("#changes")
        preview = page.inner_text("#changes")
        page.screenshot(path=str(ARTIFACTS / "import-preview-phone.png"), full_page=True)
        page.click("#confirm-import")
        page.wait_for_selector("#job-status")
        status = page.inner_text("#job-status")
        page.click("#quarter-links a")
        page.wait_for_selector("#quarter-form")
        on_quarter_page = page.input_value(f'[name="{TECH}"]')
        page.screenshot(path=str(ARTIFACTS / "import-then-quarter-page.png"), full_page=True)
    assert "渝北区" in preview and "1234" in preview
    assert "已导入" in status
    assert on_quarter_page == "1234"
    assert quarter_values(unit=yubei, period=quarter)[TECH] == 1234
