"""The pages in French and German (words, numbers, dates); the APIs and the CSV byte for byte
the same in every language."""

import io
import re

import openpyxl
import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from dashboards.listings.pager import Pager
from dashboards.models import Credential
from tests.factories import make_credential
from tests.web.test_i18n import compiled_catalogs  # noqa: F401 (the .mo files, built when stale)

pytestmark = pytest.mark.django_db

FRENCH = "fr-FR,fr;q=0.9,en;q=0.5"
GERMAN = "de-DE,de;q=0.9,en;q=0.5"


@pytest.fixture
def roster(client, course_roster):
    course, users = course_roster
    client.force_login(users["ada"])
    return course


def text(response):
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


@pytest.mark.parametrize(
    "accept, words",
    [
        (
            FRENCH,
            [
                '<html lang="fr">',
                '<h2 id="members-heading">Membres</h2>',
                "Achèvement moyen",
                "Voir en JSON",
                "Afficher les heures exactes",
                '<span class="badge badge-creator">Créateur</span>',
                # French dates: the exact time in the language's date format, relative words.
                'title="1 janvier 2025 09:00:00 UTC">il y a ',
                re.compile(r"il y a \d+\xa0ans?</time>"),
                "Heures en UTC",
            ],
        ),
        (
            GERMAN,
            [
                '<html lang="de">',
                '<h2 id="members-heading">Mitglieder</h2>',
                "Durchschnittlicher Abschluss",
                "Als JSON ansehen",
                '<span class="badge badge-creator">Ersteller/in</span>',
                'title="1. Januar 2025 09:00:00 UTC">vor ',
                re.compile(r"vor \d+\xa0Jahr(en)?</time>"),
                "Zeiten in UTC",
            ],
        ),
    ],
    ids=["fr", "de"],
)
def test_a_french_or_german_browser_sees_the_course_page_in_its_language(
    client, roster, accept, words
):
    page = text(
        client.get(f"/courses/{roster.pk}/?statuses=creator,joined", HTTP_ACCEPT_LANGUAGE=accept)
    )
    for word in words:
        assert word.search(page) if isinstance(word, re.Pattern) else word in page
    for english in ("Average completion", "View as JSON", ">Members<", "days ago"):
        assert english not in page


def test_english_stays_the_default(client, roster):
    page = text(client.get(f"/courses/{roster.pk}/?statuses=creator"))
    assert '<html lang="en">' in page and "Average completion" in page
    assert 'title="Jan. 1, 2025 09:00:00 UTC">' in page and "Times in UTC" in page
    assert re.search(r"\d+\xa0years? ago</time>", page)


@pytest.mark.parametrize(
    "accept, words",
    [
        (FRENCH, ["Dernière visite", "Inclure les utilisateurs anonymes", "Administrateur", "Du"]),
        (GERMAN, ["Zuletzt gesehen", "Anonyme Benutzer einbeziehen", "Lehrkraft", "Von"]),
    ],
    ids=["fr", "de"],
)
def test_the_org_members_page_in_french_and_german(client, org_world, accept, words):
    client.force_login(org_world.acme_admin)
    page = text(client.get(f"/orgs/{org_world.sales.pk}/members/", HTTP_ACCEPT_LANGUAGE=accept))
    for word in words:
        assert word in page
    assert "Include anonymous users" not in page and "Last seen" not in page


@pytest.mark.parametrize(
    "accept, words",
    [
        (FRENCH, ["Vos cours", "Vos vues enregistrées", "Demandes", "Trouver un cours"]),
        (GERMAN, ["Ihre Kurse", "Ihre gespeicherten Ansichten", "Anfragen", "Einen Kurs finden"]),
    ],
    ids=["fr", "de"],
)
def test_the_home_page_in_french_and_german(client, roster, accept, words):
    page = text(client.get("/", HTTP_ACCEPT_LANGUAGE=accept))
    for word in words:
        assert word in page
    assert "Your courses" not in page


def test_the_language_chooser_lists_german(client):
    page = text(client.get("/login/", HTTP_ACCEPT_LANGUAGE=GERMAN))
    assert '<option value="de" lang="de" selected>Deutsch</option>' in page
    assert '<option value="fr" lang="fr">français</option>' in page
    assert "<h1>Anmelden</h1>" in page


@pytest.mark.parametrize(
    "language, count",
    [("en", "12,345 members"), ("fr", "12\xa0345 membres"), ("de", "12.345 Mitglieder")],
)
def test_counts_use_the_languages_separators(language, count):
    pager = Pager.from_page(
        RequestFactory().get("/").GET,
        count=12345,
        page=2,
        per_page=20,
        shown=20,
        sizes=[20],
        nouns=lambda n: translation.ngettext("member", "members", n),
    )
    with translation.override(language):
        pager = Pager(
            **{**pager.__dict__, "noun": translation.ngettext("member", "members", 12345)}
        )
        html = render_to_string("dashboards/partials/pager.html", {"pager": pager})
    assert count in html
    assert {"en": "page 2 of 618", "fr": "page 2 sur 618", "de": "Seite 2 von 618"}[
        language
    ] in html


@pytest.mark.parametrize("language", ["fr", "de"])
def test_the_apis_bodies_and_errors_are_byte_identical_in_every_language(
    client, org_world, language
):
    key = make_credential(Credential.PARTNER)[1]
    course = org_world.both
    calls = [
        f"/api/v2/course/{course.pk}/users/",
        f"/api/v2/course/{course.pk}/users/?ordering=bogus&limit=x",
        f"/vfo/orgs/{org_world.sales.pk}/dashboard/members?sort=bogus&order=ascending",
        f"/vfo/orgs/{org_world.sales.pk}/dashboard/members?perPage=0",
        f"/vfo/orgs/{org_world.sales.pk}/dashboard/members",
    ]
    # (DRF's own messages, without a key, would be translated but for ApiLanguageMiddleware.)
    keys = [key] * len(calls) + [None]
    calls.append(calls[0])
    for path, sid in zip(calls, keys, strict=True):
        auth = {"HTTP_SID": sid} if sid else {}
        english = client.get(path, HTTP_ACCEPT_LANGUAGE="en", **auth)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        other = client.get(path, HTTP_ACCEPT_LANGUAGE=language, **auth)
        del client.cookies[settings.LANGUAGE_COOKIE_NAME]
        assert other.status_code == english.status_code
        assert other.content == english.content, path
    assert b"Bad sort criterion" in client.get(calls[2], HTTP_SID=key).content


def test_a_bad_parameter_reads_in_the_pages_language_and_in_english_on_the_api(client, org_world):
    client.force_login(org_world.acme_admin)
    key = make_credential(Credential.PARTNER)[1]
    query = "?perPage=0&sort=bogus&order=ascending"
    page = client.get(f"/orgs/{org_world.sales.pk}/members/{query}", HTTP_ACCEPT_LANGUAGE=FRENCH)
    assert page.status_code == 400
    assert "perPage non valide : « 0 » (attendu : de 1 à 100)" in page.content.decode()
    assert "Critère de tri non valide : bogus" in page.content.decode()
    api = client.get(
        f"/vfo/orgs/{org_world.sales.pk}/dashboard/members{query}",
        HTTP_SID=key,
        HTTP_ACCEPT_LANGUAGE=FRENCH,
    )
    assert api.status_code == 400
    assert api.json()["message"] in (
        "Invalid perPage: '0' (expected 1 to 100)",
        "Bad sort criterion - bogus",
    )


def test_an_unreadable_address_is_a_400_in_the_pages_language_and_english_on_the_api(
    client, roster
):
    long = "x" * 301
    page = client.get(f"/courses/{roster.pk}/?search={long}", HTTP_ACCEPT_LANGUAGE=GERMAN)
    assert page.status_code == 400
    assert "<h1>Ungültige Anfrage</h1>" in page.content.decode()
    assert "Der Parameter „search“ ist länger als 300 Zeichen." in page.content.decode()
    api = client.get(
        f"/api/v2/course/{roster.pk}/users/?search={long}", HTTP_ACCEPT_LANGUAGE=GERMAN
    )
    assert api.json() == {"detail": "Parameter 'search' is longer than 300 characters."}


def test_the_csv_stays_the_machine_format_in_every_language(client, roster):
    path = f"/courses/{roster.pk}/members.csv?statuses=creator,joined"
    english = b"".join(client.get(path).streaming_content)
    french = b"".join(client.get(path, HTTP_ACCEPT_LANGUAGE=FRENCH).streaming_content)
    assert french == english and b"creator" in english


def test_the_spreadsheet_speaks_the_viewers_language(client, roster):
    response = client.get(
        f"/courses/{roster.pk}/members.xlsx?statuses=creator", HTTP_ACCEPT_LANGUAGE=FRENCH
    )
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0] == (
        "Membre",
        "Statut",
        "Achèvement %",
        "Inscription (UTC)",
        "Dernière activité (UTC)",
    )
    assert rows[1][1] == "Créateur"
