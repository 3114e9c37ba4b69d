"""A French and a German browser, each in its own time zone: the pages in their language, the
times in their zone (app.js's `tz` cookie), axe clean."""

import re

import pytest

from tests.browser.conftest import check_axe

pytestmark = pytest.mark.browser

BROWSERS = {
    "fr": {
        "locale": "fr-FR",
        "timezone_id": "Europe/Paris",
        "log_in": "Se connecter",
        "home": "Vos cours",
        "course": ["Membres", "Achèvement moyen"],
        "org": ["Inclure les utilisateurs anonymes", "Dernière visite"],
        "times": "Heures en Europe/Paris",
    },
    "de": {
        "locale": "de-DE",
        "timezone_id": "America/New_York",
        "log_in": "Anmelden",
        "home": "Ihre Kurse",
        "course": ["Mitglieder", "Durchschnittlicher Abschluss"],
        "org": ["Anonyme Benutzer einbeziehen", "Zuletzt gesehen"],
        "times": "Zeiten in America/New_York",
    },
}


@pytest.mark.parametrize("language", BROWSERS)
def test_a_browser_sees_the_pages_in_its_language_and_its_time_zone(open_browsing, demo, language):
    words = BROWSERS[language]
    browsing = open_browsing(locale=words["locale"], timezone_id=words["timezone_id"])
    page = browsing.page
    page.goto("/login/")
    assert page.locator("html").get_attribute("lang") == language
    chooser = page.locator("#language-choice option")
    assert "Deutsch" in chooser.all_inner_texts()
    page.fill("#id_username", "admin")
    page.fill("#id_password", "admin-demo-pass")
    page.get_by_role("button", name=words["log_in"]).click()
    page.wait_for_url(f"{browsing.base_url}/")
    assert page.get_by_role("heading", name=words["home"]).is_visible()
    check_axe(page, f"the home page ({language})")

    page.goto(f"/courses/{demo.course.pk}/")
    for word in words["course"]:
        assert page.get_by_text(word, exact=True).first.is_visible()
    # The cookie app.js wrote on the first page: this page's times are in the browser's zone.
    assert page.get_by_text(words["times"]).is_visible()
    title = page.locator("#listing time[title]").first.get_attribute("title")
    assert title.endswith(words["timezone_id"])
    check_axe(page, f"the course page ({language})")

    page.goto(f"/orgs/{demo.container.pk}/members/")
    for word in words["org"]:
        assert page.get_by_text(word, exact=True).first.is_visible()
    check_axe(page, f"the org members page ({language})")
    assert re.search(r"\btz=", page.evaluate("() => document.cookie"))
