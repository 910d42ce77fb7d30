"""The foundation: settings, reference data, roles, demo data, health."""
import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from districts.models import Period, PolicyArticle, Unit, UnitCodeAlias, UnitGroup
from indicators.models import Plan, Target
from platforms.models import Platform

LEAKED_BY_TEST_SETTINGS = {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "ALLOWED_HOSTS", "SECURE_COOKIES",
                           "SECURE_SSL_REDIRECT"}


def run_check(env_overrides, *args):
    env = {k: v for k, v in os.environ.items() if k not in LEAKED_BY_TEST_SETTINGS}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_it_refuses_to_start_in_production_without_a_secret_key():
    result = run_check({"DEBUG": "0", "ALLOWED_HOSTS": "portal.example.cn"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_check_deploy_is_clean_with_production_values():
    result = run_check(
        {"DEBUG": "0", "SECRET_KEY": "x" * 60 + "-production-like-key", "ALLOWED_HOSTS": "portal.example.cn",
         "CSRF_TRUSTED_ORIGINS": "https://portal.example.cn"},
        "check", "--deploy", "--fail-level", "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_reference_data_has_the_41_units_in_their_groups(chongqing):
    assert Unit.objects.count() == 41
    assert Unit.objects.counted().count() == 38
    metro = UnitGroup.objects.get(code="metro")
    assert Unit.objects.in_group(metro).count() == 21
    assert Unit.objects.get(code="500112").name == "渝北区"
    zones = Unit.objects.filter(counts_toward_city_total=False)
    assert set(zones.values_list("kind", flat=True)) == {"functional_zone"}


def test_old_codes_find_the_current_unit(chongqing):
    assert Unit.objects.by_code("500234").get().code == "500154"  # 开县 → 开州区
    assert Unit.objects.by_code(" 500154 ").get().name == "开州区"
    assert UnitCodeAlias.objects.filter(code="500228", unit__code="500155").exists()  # 梁平县 → 梁平区


def test_reference_data_has_both_plans_with_their_targets(chongqing):
    guidance = Plan.objects.get(code="guidance-2022")
    assert guidance.baseline.code == "2021Q4"
    assert guidance.horizon.code == "2025Q4"
    assert Target.objects.get(plan=guidance, indicator__code="tech_smes", scope="city").value == 45000
    doubling = Plan.objects.get(code="double-doubling-2027")
    assert [p.code for p in doubling.milestones()] == ["2025Q4", "2027Q4"]
    assert doubling.targets.filter(scope="group").count() == 6
    assert PolicyArticle.objects.filter(key="10b").exists()
    assert Platform.objects.get(name="重庆国际生物城").unit.code == "500113"


def test_loading_reference_twice_changes_nothing_and_keeps_staff_edits(chongqing):
    yuzhong = Unit.objects.get(code="500103")
    yuzhong.name_en = "Yuzhong (edited by staff)"
    yuzhong.save()
    counts = [m.objects.count() for m in (Unit, UnitGroup, Period, Plan, Target, Platform)]
    call_command("load_reference", stdout=io.StringIO())
    assert [m.objects.count() for m in (Unit, UnitGroup, Period, Plan, Target, Platform)] == counts
    assert Unit.objects.get(code="500103").name_en == "Yuzhong (edited by staff)"


def test_seed_demo_refuses_when_debug_is_off(chongqing):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=io.StringIO())


def test_health_answers_ok_when_the_database_answers(client, db):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


def test_health_names_the_failing_part(client, db, monkeypatch):
    from portal import health

    def broken():
        raise ConnectionError("connection refused")

    monkeypatch.setitem(health.CHECKS, "redis", broken)
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"].startswith("error")


def test_home_page_is_chinese_and_needs_a_login(client, city_viewer):
    assert client.get("/").status_code == 302
    client.force_login(city_viewer)
    response = client.get("/")
    assert "区县科技创新监测平台" in response.content.decode()


def test_english_is_available_from_the_language_switch(client, city_viewer):
    client.force_login(city_viewer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()


def test_pages_are_chinese_even_when_the_browser_prefers_english(client, city_viewer):
    client.force_login(city_viewer)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="zh-hans"' in response.content.decode()
    assert response["Content-Language"] == "zh-hans"


def test_a_missing_page_answers_404_in_chinese(client, city_viewer):
    client.force_login(city_viewer)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
