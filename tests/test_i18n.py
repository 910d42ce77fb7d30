"""The English catalog: source strings are Chinese, locale/en translates every one of them.

The portal shows English only to someone who chose it with the language switch (the cookie), never
because of the browser's Accept-Language, so these tests set the cookie.
"""
import ast
import datetime
import gettext
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

CATALOG = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[-+ #0-9.]*[sdifr]|%[sd%]|\{\w+\}|<[^>]+>")
CJK = re.compile(r"[\u4e00-\u9fff]")


def read_po(path):
    """The entries of a .po file as dicts: msgid, msgid_plural, msgstr ({index: text}) and flags.

    Just enough of the format for makemessages' output, so the tests need no polib.
    """
    entries, entry, field = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry and entry["msgid"] is not None:
                entries.append(entry)
            entry = None
            continue
        entry = entry or {"msgid": None, "msgid_plural": None, "msgstr": {}, "flags": set(), "obsolete": False}
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if isinstance(field, int):
                entry["msgstr"][field] += text
            else:
                entry[field] += text
        else:
            keyword, _, literal = line.partition(" ")
            text = ast.literal_eval(literal)
            if keyword.startswith("msgstr"):
                field = int(keyword[7:-1]) if "[" in keyword else 0
                entry["msgstr"][field] = text
            else:
                field = keyword
                entry[field] = text
    header = [e for e in entries if e["msgid"] == ""]
    return header, [e for e in entries if e["msgid"] != ""]


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_login_page_is_english_for_who_chose_english(english, db):
    response = english.get("/accounts/login/")
    page = response.content.decode()
    assert response["Content-Language"] == "en"
    assert 'lang="en"' in page
    for text in ("Log in", "Username", "Password", "District S&T Innovation Monitoring Portal"):
        assert text in page
    assert "登录" not in page and "用户名" not in page


def test_a_wrong_password_is_explained_in_english(english, city_viewer):
    response = english.post("/accounts/login/", {"username": "city_viewer", "password": "wrong-password"})
    assert "Incorrect username or password; please try again." in response.content.decode()


def test_the_home_page_is_english_for_who_chose_english(english, city_viewer, chongqing):
    from conftest import make_user

    english.force_login(city_viewer)
    page = english.get("/").content.decode()
    assert 'lang="en"' in page
    assert "Welcome, city_viewer." in page
    assert "Log out" in page
    assert "欢迎" not in page and "退出" not in page
    # Someone without a role yet reads the policy's targets. A literal percent sign in {% translate %} is doubled
    # in the catalog and single on the page.
    english.force_login(make_user("newcomer"))
    page = english.get("/").content.decode()
    assert "growing by over 10% a year" in page
    assert "10%%" not in page


def test_the_home_page_stays_chinese_without_the_cookie(client, city_viewer):
    client.force_login(city_viewer)
    page = client.get("/").content.decode()
    assert "欢迎，city_viewer。" in page
    assert "退出" in page
    assert "Log out" not in page


def test_every_string_of_the_catalog_is_translated():
    header, entries = read_po(CATALOG / "django.po")
    assert header and "Language: en" in header[0]["msgstr"][0]
    assert len(entries) > 400
    problems = []
    for entry in entries:
        expected = 2 if entry["msgid_plural"] is not None else 1
        translations = list(entry["msgstr"].values())
        if entry["obsolete"] or "fuzzy" in entry["flags"]:
            problems.append(("obsolete or fuzzy", entry["msgid"]))
        if len(translations) != expected or not all(t.strip() for t in translations):
            problems.append(("untranslated", entry["msgid"]))
        for translation in translations:
            if sorted(PLACEHOLDER.findall(translation)) != sorted(PLACEHOLDER.findall(entry["msgid"])):
                problems.append(("placeholders differ", entry["msgid"], translation))
            if translation == entry["msgid"] and CJK.search(translation):
                problems.append(("copied, not translated", entry["msgid"]))
    assert problems == []


def test_the_committed_mo_matches_the_po():
    """The .mo is committed (a newcomer may lack gettext): it must say what the .po says."""
    _, entries = read_po(CATALOG / "django.po")
    with open(CATALOG / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for entry in entries:
        if entry["msgid_plural"] is None:
            if compiled.gettext(entry["msgid"]) != entry["msgstr"][0]:
                stale.append(entry["msgid"])
        elif [compiled.ngettext(entry["msgid"], entry["msgid_plural"], n) for n in (1, 2)] != [
            entry["msgstr"][0], entry["msgstr"][1],
        ]:
            stale.append(entry["msgid"])
    assert stale == [], "run `make messages` and commit locale/en/LC_MESSAGES/django.mo"


@pytest.mark.parametrize("upload_language", ["en", "zh-hans"])
def test_an_english_template_imports_back_in_either_language(client, yubei_clerk, city_staff, upload_language):
    """Template headers follow the user's language; the import reads them in any language of the portal.

    (A big file is checked by a Celery worker, which runs in the default language.)
    """
    from districts.choices import ImportStatus
    from districts.figures import quarter_values
    from districts.models import ImportJob, Period, Unit
    from districts.services import period_open

    period = Period.objects.get_by_code("2026Q3")
    period_open(user=city_staff, period=period, deadline=timezone.localdate() + datetime.timedelta(days=30))
    client.force_login(yubei_clerk)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    workbook = load_workbook(io.BytesIO(client.get(reverse("spreadsheets:template") + "?period=2026Q3").content))
    sheet = workbook["季度数据"]
    headers = [cell.value for cell in sheet[2]][:4]
    assert headers == ["Unit code", "Unit name", "Quarter", "Tech-based SMEs (registered)（家）"]
    sheet["D3"] = 456
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = upload_language
    client.post(reverse("spreadsheets:upload"), {"file": SimpleUploadedFile("t.xlsx", buffer.getvalue()),
                                                 "period": period.pk})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.READY, job.preview
    client.post(reverse("spreadsheets:confirm", args=[job.pk]))
    assert quarter_values(unit=Unit.objects.get(code="500112"), period=period)["enterprises.tech_smes"] == 456


def test_the_not_found_page_is_english_for_who_chose_english(english, city_viewer):
    english.force_login(city_viewer)
    response = english.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
