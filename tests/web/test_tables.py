"""Every listing table's HTML, frozen in golden files (tests/golden/tables/).

Each case builds its table as dashboards/web/listing.py render_listing does (the rows, the
listing's parameters as `query`, the viewer's `exclude`, `selectable`, the empty texts of a
window past the end) and writes it as partials/listing.html does, with `{% render_table %}`
in a request's context. The rows cover every column and its edge cases: nulls, 0 and 100 %,
anonymous users, each join status, role and course status, long, non-ASCII and HTML-looking
names, times just now, past, future and never, selectable rows, each column excluded in turn,
empty tables (unfiltered, filtered, past the end), French in Paris.

The golden files were recorded from the tables as they were when they still overrode
django-tables2's private row methods, so rendering through its public API only changed no
byte. A change to a table's HTML must be deliberate: UPDATE_GOLDEN=1 pytest
tests/web/test_tables.py rewrites them. Each row is also compared with django-tables2's own
row block (test_row_html_writes_what_the_row_block_of_django_tables2_writes).
"""

import datetime as dt
import importlib
import os
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path

import django_tables2 as tables
import pytest
from django.http import QueryDict
from django.template import Context, RequestContext, Template
from django.test import RequestFactory
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dashboards.models import Course, CourseMember, Org, OrgMember, User
from dashboards.tables.base import ListingTable, numeric
from dashboards.tables.courses import CourseMemberTable, CourseTable
from dashboards.tables.orgs import MemberCourseTable, OrgMemberTable

# The French cases need the compiled catalogs (`make messages`; built here when stale).
from tests.web.test_i18n import compiled_catalogs  # noqa: F401

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "tables"
NOW = dt.datetime(2026, 5, 1, 12, 0, 0, tzinfo=dt.UTC)
ORG = Org(pk=5, title="Acme Sales")
LONG_NAME = "Maximilian-Alexander von Hohenzollern-Sigmaringen-Württemberg " * 4
TABLE = Template("{% load django_tables2 %}{% render_table table %}")


def ago(**delta):
    return NOW - dt.timedelta(**delta)


def ahead(**delta):
    return NOW + dt.timedelta(**delta)


# Rows as each listing reads them (dashboards/listings): the course roster's are dicts
# (member_rows), the others model instances with the listing's annotations.


def course_member_rows():
    def row(user_id, username, real_name, avatar, status, rate, joined, active):
        return {
            "user_id": user_id,
            "username": username,
            "real_name": real_name,
            "avatar": avatar,
            "join_status": status,
            "completion_rate": rate,
            "last_active_at": active,
            "joined_at": joined,
        }

    return [
        row(
            101,
            "ada",
            "Ada Lovelace",
            "https://cdn.example/a.png",
            "joined",
            100,
            ago(days=3),
            ago(seconds=20),
        ),
        row(102, "bob", "", None, "invited", 0, None, None),
        # Anonymous: no name, no username.
        row(103, None, "", "", "requested", 57, ago(hours=5), ago(days=800)),
        row(
            104,
            "zoë",
            "Zoë Ångström <b>&amp;</b> 李小龍",
            "javascript:alert(1)",
            "manager",
            None,
            ahead(hours=2),
            ahead(days=40),
        ),
        row(
            105,
            "creator",
            LONG_NAME,
            "http://cdn.example/c.png",
            "creator",
            99,
            ago(days=400),
            ago(minutes=59),
        ),
        row(106, "", None, None, "joined", 1, ago(seconds=59), ago(weeks=3)),
    ]


def container(pk=3, title="Acme Holding"):
    return Org(pk=pk, title=title, org_type=Org.CONTAINER)


def course(pk, title, members, managers, waiting, last_activity, within):
    course = Course(pk=pk, title=title, container=within)
    course.member_count = members
    course.manager_count = managers
    course.waiting_count = waiting
    course.last_activity = last_activity
    return course


def course_rows():
    holding = container()
    return [
        course(11, "Python for everyone", 1234567, 2, 0, ago(days=2), holding),
        course(12, "Ça «commence» <ici> & 日本語", 0, 0, 15, None, None),
        course(13, LONG_NAME, 1, 1, 1, ahead(minutes=5), container(4, "Zürich <Schule>")),
        course(14, "Python for everyone", 999, 1000, 1001, ago(seconds=5), holding),
    ]


def user(pk, username, real_name, *, email=None, avatar=None, last_seen=None):
    person = User(pk=pk, username=username, email=email, avatar=avatar, last_seen=last_seen)
    # The generated columns, as the database computes them.
    person.real_name = real_name
    person.display_name = real_name or "Unknown"
    return person


def org_member(rank, person, enrolled, completed):
    member = OrgMember(
        org=ORG,
        user=person,
        role_rank=rank,
        portal_rank=rank,
        enrolled_count=enrolled,
        completed_count=completed,
        anonymous=not (person.real_name or person.username),
        last_seen=person.last_seen,
    )
    member.rank = rank
    return member


def org_member_rows():
    return [
        org_member(
            0,
            user(
                201,
                "ada",
                "Ada Lovelace",
                email="ada@example.com",
                avatar="https://cdn.example/a.png",
                last_seen=ago(days=1),
            ),
            12,
            12,
        ),
        org_member(1, user(202, "bob", "", email="bob+x@example.com"), 0, 0),
        # Anonymous: no name, no username, no email.
        org_member(2, user(203, None, "", last_seen=ago(seconds=10)), 3, 0),
        org_member(
            3,
            user(
                204,
                "zoë",
                "Zoë Ångström <b>&amp;</b> 李小龍",
                email="zoë@exämple.org",
                avatar="ftp://cdn.example/z.png",
                last_seen=ahead(hours=3),
            ),
            100000,
            99999,
        ),
        org_member(
            3, user(205, "", LONG_NAME, email="long@example.com", last_seen=ago(days=60)), 1, 1
        ),
    ]


def member_course(pk, title, status, rate, started, finished, score, container_id):
    link = CourseMember(
        pk=pk,
        course_id=pk,
        user_id=201,
        join_status=CourseMember.JOINED,
        completion_rate=rate,
        finish_date=finished,
        score=score,
    )
    link.title = title
    link.course_container_id = container_id
    link.status = status
    link.started_at = started
    return link


def member_course_rows():
    return [
        member_course(
            31, "Python for everyone", "completed", 100, ago(days=90), ago(days=2), 1.0, 3
        ),
        member_course(
            32, "Ça «commence» <ici> & 日本語", "in-progress", 45, ago(hours=1), None, 0.875, 3
        ),
        member_course(33, LONG_NAME, "started", 0, None, None, None, 4),
        member_course(
            34, "Zero score", "completed", 100, ahead(days=1), ago(seconds=30), 0.0, None
        ),
        member_course(35, "Half", "started", None, ago(days=1000), None, 0.005, 3),
    ]


@dataclass
class Case:
    name: str
    table: type
    rows: object
    kwargs: dict = field(default_factory=dict)
    query: str = ""
    order_by: object = None
    exclude: tuple = ()
    selectable: bool = False
    past_end: bool = False
    language: str = "en"
    zone: str = "UTC"
    path: str = "/"

    def __str__(self):
        return self.name


def cases():
    members = {
        "table": CourseMemberTable,
        "rows": course_member_rows,
        "kwargs": {"course_id": 7},
        "path": "/courses/7/",
        "order_by": ["-joined_at"],
    }
    courses = {"table": CourseTable, "rows": course_rows, "order_by": "title", "path": "/"}
    org_members = {
        "table": OrgMemberTable,
        "rows": org_member_rows,
        "kwargs": {"org": ORG},
        "order_by": "fullName",
        "path": "/orgs/5/members/",
    }
    member_courses = {
        "table": MemberCourseTable,
        "rows": member_course_rows,
        "kwargs": {"viewable_container": None},
        "path": "/orgs/5/members/201/",
    }
    found = [
        Case("course_members", **members),
        Case(
            "course_members_selectable_sorted",
            **{
                **members,
                "query": "ordering=-user_completion_rate,real_name&statuses=joined&limit=20",
                "order_by": ["-user_completion_rate", "real_name"],
                "selectable": True,
            },
        ),
        Case(
            "course_members_by_last_active",
            **{
                **members,
                "query": "ordering=last_active_at",
                "order_by": ["last_active_at"],
                "selectable": True,
            },
        ),
        Case(
            "course_members_fr",
            **{**members, "selectable": True, "language": "fr", "zone": "Europe/Paris"},
        ),
        Case("course_members_empty", **{**members, "rows": list, "selectable": True}),
        Case(
            "course_members_empty_filtered",
            **{**members, "rows": list, "selectable": True, "query": "search=nobody"},
        ),
        Case(
            "course_members_past_end",
            **{
                **members,
                "rows": list,
                "selectable": True,
                "query": "offset=500",
                "past_end": True,
            },
        ),
        Case("courses", **courses),
        Case(
            "courses_descending",
            **{
                **courses,
                "query": "ordering=-last_activity&search=py",
                "order_by": "-last_activity",
            },
        ),
        Case("courses_fr", **{**courses, "language": "fr", "zone": "Europe/Paris"}),
        Case("courses_empty", **{**courses, "rows": list}),
        Case("courses_empty_filtered", **{**courses, "rows": list, "query": "search=zz"}),
        Case("org_members", **org_members),
        Case(
            "org_members_selectable_descending",
            **{
                **org_members,
                "query": "sort=lastSeen&order=descending&role=admin&perPage=50",
                "order_by": "-lastSeen",
                "selectable": True,
            },
        ),
        Case(
            "org_members_fr",
            **{
                **org_members,
                "selectable": True,
                "language": "fr",
                "zone": "Europe/Paris",
                "order_by": "-enrolledCount",
                "query": "sort=enrolledCount&order=descending",
            },
        ),
        Case("org_members_empty", **{**org_members, "rows": list, "selectable": True}),
        Case(
            "org_members_past_end",
            **{
                **org_members,
                "rows": list,
                "selectable": True,
                "query": "page=9",
                "past_end": True,
            },
        ),
        Case("member_courses", **member_courses),
        Case(
            "member_courses_bound_to_a_container",
            **{
                **member_courses,
                "kwargs": {"viewable_container": 3},
                "query": "status=completed",
            },
        ),
        Case("member_courses_fr", **{**member_courses, "language": "fr", "zone": "Europe/Paris"}),
        Case(
            "member_courses_empty_filtered",
            **{**member_courses, "rows": list, "query": "title=nothing"},
        ),
    ]
    for base, selectable in (
        (members, True),
        (courses, False),
        (org_members, True),
        (member_courses, False),
    ):
        stem = {
            CourseMemberTable: "course_members",
            CourseTable: "courses",
            OrgMemberTable: "org_members",
            MemberCourseTable: "member_courses",
        }[base["table"]]
        for column in base["table"].base_columns:
            found.append(
                Case(f"{stem}_without_{column}", **base, exclude=(column,), selectable=selectable)
            )
    return found


CASES = cases()


def render(case):
    """The table's HTML as the listing page writes it (render_listing, partials/listing.html)."""
    query = QueryDict(case.query)
    kwargs = dict(case.kwargs)
    if case.order_by is not None:
        kwargs["order_by"] = case.order_by
    table = case.table(case.rows(), query=query, exclude=list(case.exclude), **kwargs)
    table.selectable = case.selectable
    if case.past_end:
        table.empty_text = _("This page is past the end of the list.")
        table.unfiltered_empty_text = table.empty_text
    request = RequestFactory().get(case.path, QueryDict(case.query))
    return TABLE.render(RequestContext(request, {"table": table}))


@pytest.fixture
def frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def listing_tables():
    """Every table class declared in dashboards/tables/."""
    package = importlib.import_module("dashboards.tables")
    found = set()
    for module_info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{module_info.name}")
        found.update(
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, ListingTable)
            and value is not ListingTable
            and value.__module__ == module.__name__
        )
    return found


def test_every_table_has_cases():
    assert {case.table for case in CASES} == listing_tables()
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_table_writes_its_golden_html(case, frozen_now):
    with translation.override(case.language), timezone.override(case.zone):
        html = render(case)
    golden = GOLDEN / f"{case.name}.html"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(html)
    assert html == golden.read_text(), (
        f"{case.name}: the table's HTML changed (UPDATE_GOLDEN=1 rewrites the golden files)"
    )


# django-tables2's own row block (django_tables2/table.html), on one line as tables/table.html
# wrote it before ListingTable.row_html.
STOCK_ROW = Template(
    "{% load l10n %}<tr {{ row.attrs.as_html }}>{% for column, cell in row.items %}"
    "<td {{ column.attrs.td.as_html }}>{% if column.localize == None %}{{ cell }}{% else %}"
    "{% if column.localize %}{{ cell|localize }}{% else %}{{ cell|unlocalize }}{% endif %}"
    "{% endif %}</td>{% endfor %}</tr>"
)


class PerRowTable(ListingTable):
    """Attributes computed per row (callables), localized and unlocalized cells."""

    name = tables.Column(
        attrs={"td": {"data-initial": lambda value: value[:1], "class": "name"}},
        orderable=False,
    )
    amount = tables.Column(localize=True, orderable=False, attrs=numeric())
    code = tables.Column(localize=False, orderable=False)
    when = tables.Column(orderable=False, attrs={"td": {"data-row": lambda record: record["code"]}})

    class Meta(ListingTable.Meta):
        row_attrs = {"data-code": lambda record: record["code"], "class": "row"}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_row_html_writes_what_the_row_block_of_django_tables2_writes(language, frozen_now):
    records = [
        {"name": "Ada", "amount": 1234567.5, "code": 1234567, "when": ago(days=2)},
        {"name": "<Zoë>", "amount": 0, "code": 7, "when": None},
        {"name": "Émile & co", "amount": None, "code": None, "when": ahead(hours=1)},
    ]
    with translation.override(language), timezone.override("Europe/Paris"):
        table = PerRowTable(records, query=QueryDict())
        rows = list(table.rows)
        stock = [STOCK_ROW.render(Context({"row": row})) for row in rows]
        ours = [table.row_html(row) for row in rows]
    assert ours == stock
    assert 'data-initial="É"' in ours[2] and 'data-row="7"' in ours[1]
    assert 'data-code="1234567"' in ours[0]
    for listed in CASES:
        # The listing tables: each row as the stock block writes it (no selection column).
        if listed.rows is list:
            continue
        kwargs = (
            {**listed.kwargs, "order_by": listed.order_by} if listed.order_by else listed.kwargs
        )
        table = listed.table(listed.rows(), query=QueryDict(listed.query), **kwargs)
        for row in table.rows:
            assert table.row_html(row) == STOCK_ROW.render(Context({"row": row}))
