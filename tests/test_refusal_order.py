"""Permission is checked before input: someone who may not take an action is refused the same way whatever they
send, and learns nothing from validation messages (a clerk opening a period without a deadline is told they may
not open periods, not that the deadline is missing).

Every URL of the portal is posted an empty form by people who may not act on it; each answer is a refusal
(403, 404, 405, or the admin's login page), or a page they may use anyway and that says nothing about the input.
"""
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from evaluation.tests.conftest import draft, period, scheme  # noqa: F401
from tests.test_guessed_ids import REFUSED, every_url, yubei_objects  # noqa: F401

# Pages each of these people may post to (their own quarter, import, ledger, answers): input errors are theirs.
MAY_USE = {
    "yubei_staff": {"/quarters/2026Q3/500112/", "/data/import/", "/api/v1/figures/bulk/",
                    "/api/v1/submissions/500112/2026Q3/submit/", "/ledger/rounds/items/", "/api/v1/tasks/",
                    "/api/v1/progress-notes/", "/api/v1/cultivation-entries/"},
    "wanzhou_staff": {"/data/import/", "/api/v1/figures/bulk/", "/api/v1/tasks/", "/api/v1/progress-notes/",
                      "/api/v1/cultivation-entries/"},
    # A page they read (a post naming no action is a 400 for anyone), and their own brief subscription.
    "city_viewer": {"/quarters/2026Q3/500112/", "/briefs/subscription/"},
}


def answers_to_empty_posts(client, objects) -> dict[str, tuple[int, list[str]]]:
    answers = {}
    for url in every_url(objects):
        if url == reverse("logout"):
            continue
        response = client.post(url, {})
        location = response.get("Location", "")
        if response.status_code in REFUSED or location.startswith(reverse("admin:login")):
            continue
        answers[url] = (response.status_code, [str(m) for m in get_messages(response.wsgi_request)])
        if location:
            client.get(location)  # shows, and so clears, what the redirect said: it is not the next page's
    return answers


@pytest.mark.parametrize("person", ["yubei_clerk", "wanzhou_clerk", "city_viewer"])
def test_someone_who_may_not_act_is_refused_before_their_input_is_read(
    yubei_objects, client_for, request, person  # noqa: F811
):
    user = request.getfixturevalue(person)
    answers = answers_to_empty_posts(client_for(user), yubei_objects)
    # Pages that take no input of theirs answer 200 (a GET view posted to) or redirect without a word.
    told = {url: answer for url, answer in answers.items()
            if not url.startswith(tuple(MAY_USE[user.username])) and (answer[1] or answer[0] not in (200, 302))}
    assert told == {}


def test_a_clerk_opening_a_period_without_a_deadline_is_refused_for_the_permission(yubei_clerk, client_for):
    response = client_for(yubei_clerk).post(reverse("districts:period_action", args=["2026Q4", "open"]), {})
    assert response.status_code == 403
    assert "截止日期" not in response.content.decode()


@pytest.mark.parametrize("action", ["return", "reopen"])
def test_a_clerk_asking_the_api_to_return_or_reopen_is_refused_before_the_missing_comment(
    yubei_objects, yubei_clerk, api_client, action  # noqa: F811
):
    api_client.force_login(yubei_clerk)
    response = api_client.post(f"/api/v1/submissions/500112/2026Q3/{action}/", {}, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
