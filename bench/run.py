"""The benchmark: every scenario of the dashboards through its real URL, in process.

    DEBUG=true .venv/bin/python bench/run.py [--tier M|L] [--runs 20] [--only NAME]

Runs against the configured database (DATABASE_URL; `make bench` defaults to a SQLite file
under bench/data/), building the tier first when the database is empty (bench/tiers.py).
Per scenario: p50 and p95 of the whole request over --runs runs after warm-up, its number of
SQL queries, and the SQL floor: the same statements with the same parameters, re-run on the
database cursor and timed the same way. Prints the table and writes it, with the engine,
versions and machine, into docs/performance.md; on PostgreSQL the EXPLAIN plans go to
bench/data/plans-<engine>-<tier>.md.
"""

import argparse
import io
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench import tiers  # noqa: E402
from dashboards.demo import generator as demo  # noqa: E402

DOC = ROOT / "docs" / "performance.md"
RESULTS = ROOT / "bench" / "data"
WARMUP = 3


class Recorder:
    """Collect the statements a request runs (execute_wrapper), with their parameters."""

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, params, many))
        return execute(sql, params, many, context)


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def timed(function, runs):
    for _ in range(WARMUP):
        function()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return {"p50": statistics.median(samples), "p95": percentile(samples, 0.95)}


def consume(response):
    if response.streaming:
        for _ in response.streaming_content:
            pass
    else:
        response.content  # noqa: B018


def run_floor(statements):
    with connection.cursor() as cursor:
        for sql, params, many in statements:
            if many:
                continue
            cursor.execute(sql, params)
            if cursor.description is not None:
                cursor.fetchall()


class Scenario:
    def __init__(self, name, url, *, kind, headers=None, session=None, expect=200):
        self.name, self.url, self.kind = name, url, kind
        self.headers, self.session, self.expect = headers or {}, session, expect

    def client(self):
        client = Client()
        if self.session is not None:
            client.force_login(self.session)
        return client


def scenarios(people):
    org_admin, superuser = people
    big = tiers.BIG_ORG_ID
    portal = tiers.portal_of(big).pk
    course = tiers.biggest_course().pk
    member = tiers.member_of(tiers.Org.objects.get(pk=big))
    learner = (
        tiers.CourseMember.objects.filter(course_id=course)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .first()
    )
    token = {"HTTP_AUTHORIZATION": f"Bearer {demo.ORG_ADMIN_TOKEN}"}
    members = f"/vfo/orgs/{big}/dashboard/members"
    # A 1–2 year window of last-seen times, in Unix seconds.
    since, until = 1_735_689_600, 1_767_225_600
    api = [
        ("org members", f"{members}"),
        ("sort=lastSeen desc", f"{members}?sort=lastSeen&order=descending"),
        ("sort=role", f"{members}?sort=role&order=ascending"),
        ("filter 3+ letters", f"{members}?filter=bjorn"),
        ("filter 1–2 letters", f"{members}?filter=li"),
        ("role=course-learner", f"{members}?role=course-learner"),
        ("since/until", f"{members}?since={since}&until={until}"),
        ("deep page (offset 40,000)", f"{members}?page=2001&perPage=20"),
        ("member courses", f"{members}/{member}/courses"),
        ("portal members", f"/vfo/container/{big}/portal/{portal}/dashboard/members"),
        ("course users", f"/api/v2/course/{course}/users/"),
        ("course users search", f"/api/v2/course/{course}/users/?search=anna"),
        ("course stats", f"/api/v2/course/{course}/dashboard/"),
        # Who is behind, who is inactive.
        ("sort=enrolledCount desc", f"{members}?sort=enrolledCount&order=descending"),
        ("sort=completedCount desc", f"{members}?sort=completedCount&order=descending"),
        ("neverSeen", f"{members}?neverSeen=true"),
        ("course users by name", f"/api/v2/course/{course}/users/?ordering=real_name"),
        (
            "course users behind",
            f"/api/v2/course/{course}/users/?statuses=joined&completion_max=49"
            "&inactive_for=30&ordering=user_completion_rate",
        ),
        ("course users by status", f"/api/v2/course/{course}/users/?ordering=join_status"),
        ("course users never active", f"/api/v2/course/{course}/users/?never_active=true"),
        ("course user", f"/api/v2/course/{course}/users/{learner}/"),
    ]
    found = [Scenario(name, url, kind="API", headers=token) for name, url in api]
    found += [
        Scenario("org members page", f"/orgs/{big}/members/", kind="HTML", session=org_admin),
        Scenario("course page", f"/courses/{course}/", kind="HTML", session=org_admin),
        Scenario("home page, superuser", "/", kind="HTML", session=superuser),
        Scenario(
            "home page, search and sort",
            "/?search=guide&ordering=-members",
            kind="HTML",
            session=superuser,
        ),
        Scenario(
            "org members page, filter=bjorn",
            f"/orgs/{big}/members/?filter=bjorn",
            kind="HTML",
            session=superuser,
        ),
        Scenario(
            "peer: admin user changelist, q=bjorn",
            "/admin/dashboards/user/?q=bjorn",
            kind="peer",
            session=superuser,
        ),
    ]
    exports = [
        Scenario(
            "CSV export, org members", f"/orgs/{big}/members.csv", kind="CSV", session=org_admin
        ),
        Scenario(
            "xlsx export, org members", f"/orgs/{big}/members.xlsx", kind="xlsx", session=org_admin
        ),
        Scenario(
            "emails export (Copy emails, all matching), org members",
            f"/orgs/{big}/members/emails.txt",
            kind="text",
            session=org_admin,
        ),
    ]
    return found, exports


def measure(scenario, runs):
    client = scenario.client()

    def request():
        response = client.get(scenario.url, **scenario.headers)
        consume(response)
        return response

    response = request()
    if response.status_code != scenario.expect:
        raise SystemExit(f"{scenario.name}: {scenario.url} answered {response.status_code}")
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        request()
    result = timed(request, runs)
    floor = timed(lambda: run_floor(recorder.statements), runs)
    result.update(
        name=scenario.name,
        kind=scenario.kind,
        url=scenario.url,
        queries=len(recorder.statements),
        floor_p50=floor["p50"],
        floor_p95=floor["p95"],
        statements=[sql for sql, _, _ in recorder.statements],
        plan=explain(recorder.statements),
    )
    return result


def explain(statements):
    """PostgreSQL: EXPLAIN ANALYZE of the request's slowest statement."""
    if connection.vendor != "postgresql" or not statements:
        return None
    slowest, worst = None, -1.0
    with connection.cursor() as cursor:
        for sql, params, many in statements:
            if many or not sql.lstrip().upper().startswith("SELECT"):
                continue
            start = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            spent = time.perf_counter() - start
            if spent > worst:
                slowest, worst = (sql, params), spent
        if slowest is None:
            return None
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + slowest[0], slowest[1])
        return "\n".join(row[0] for row in cursor.fetchall())


def measure_export(scenario, runs):
    """A download's time (untraced) and its peak Python memory growth (one traced run: tracing
    slows Python several times over). Rows: the CSV's lines less its header, or the
    spreadsheet's count read back after the measurement."""
    client = scenario.client()
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        size = sum(len(chunk) for chunk in client.get(scenario.url).streaming_content)
        times.append((time.perf_counter() - start) * 1000)
    with tempfile.TemporaryFile() as received:
        # Chunks go to a file, not a list, so that only the server side's memory is traced.
        tracemalloc.start()
        for chunk in client.get(scenario.url).streaming_content:
            received.write(chunk)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        received.seek(0)
        content = received.read()
    return {
        "name": scenario.name,
        "url": scenario.url,
        "rows": export_rows(scenario.kind, content),
        "runs": runs,
        "p50": statistics.median(times),
        "peak_mb": peak,
        "file_mb": size / 2**20,
    }


def measure_table_export(export_format, runs):
    """django-tables2's own TableExport (tablib) of the same rows as the org members' CSV and
    spreadsheet: the listing as the org members page builds it (the org admin may view org
    1), every row, through the page's table. In process (no HTTP round trip, which costs the
    CSV and the xlsx little); the whole dataset and file are built in memory, by design."""
    from django.http import QueryDict
    from django_tables2.export import TableExport

    from dashboards.models import Org
    from dashboards.registry.listings import ORG_MEMBERS
    from dashboards.tables.orgs import OrgMemberTable

    org = Org.objects.get(pk=tiers.BIG_ORG_ID)

    def export():
        listing = ORG_MEMBERS.build(QueryDict(), org, whole=True)
        assert listing.is_valid
        table = OrgMemberTable(listing.filterset.qs, query=listing.params, org=org)
        exporter = TableExport(export_format, table)
        return exporter.export(), len(exporter.dataset)

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        content, rows = export()
        times.append((time.perf_counter() - start) * 1000)
    del content
    tracemalloc.start()
    content, rows = export()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    size = len(content.encode() if isinstance(content, str) else content)
    return {
        "name": f"tables2 TableExport {export_format} export, org members",
        "url": f"django-tables2 `TableExport('{export_format}')` of the same rows",
        "rows": rows,
        "runs": runs,
        "p50": statistics.median(times),
        "peak_mb": peak,
        "file_mb": size / 2**20,
    }


def export_rows(kind, content):
    if kind == "text":
        return content.count(b"\n")
    if kind == "CSV":
        return content.count(b"\n") - 1
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return sum(1 for _ in sheet.iter_rows(min_row=2, values_only=True))


def machine():
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        ram = f"{kb / 2**20:.0f} GiB"
    except (OSError, StopIteration):
        ram = "unknown"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            engine = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            engine = f"SQLite {cursor.fetchone()[0]}"
    return {
        "engine": engine,
        "python": platform.python_version(),
        "django": django.get_version(),
        "cores": os.cpu_count(),
        "cpu": cpu,
        "ram": ram,
    }


def table(results, exports, info, tier, runs, other_tier):
    by_name = {r["name"]: r for r in results}
    lines = [
        f"Tier {tier} on {info['engine']}, Python {info['python']}, Django {info['django']}; "
        f"{info['cores']} cores ({info['cpu']}), {info['ram']} RAM. "
        f"{runs} runs after {WARMUP} warm-up runs; times in ms.",
        "",
        "| scenario | kind | queries | p50 | p95 | floor p50 | p50 / floor |"
        + (" L/M p50 |" if other_tier else ""),
        "|---|---|--:|--:|--:|--:|--:|" + ("--:|" if other_tier else ""),
    ]
    for r in results:
        ratio = r["p50"] / r["floor_p50"] if r["floor_p50"] else float("nan")
        row = (
            f"| {r['name']} | {r['kind']} | {r['queries']} | {r['p50']:.1f} | {r['p95']:.1f} "
            f"| {r['floor_p50']:.1f} | {ratio:.2f} |"
        )
        if other_tier:
            m = other_tier.get(r["name"])
            row += f" {r['p50'] / m['p50']:.2f} |" if m else " – |"
        lines.append(row)
    if exports:
        lines += ["", "| export | rows | p50 ms | runs | file MB | peak Python memory growth MB |"]
        lines += ["|---|--:|--:|--:|--:|--:|"]
        lines += [
            f"| {e['url']} | {e['rows']:,} | {e['p50']:.0f} | {e['runs']} | "
            f"{e.get('file_mb', 0):.1f} | {e['peak_mb']:.1f} |"
            for e in exports
        ]
    ours, peer = (
        by_name.get("org members page, filter=bjorn"),
        by_name.get("peer: admin user changelist, q=bjorn"),
    )
    if ours and peer:
        lines += [
            "",
            f"Our org members page / Django admin changelist, same term: "
            f"{ours['p50']:.1f} / {peer['p50']:.1f} ms = {ours['p50'] / peer['p50']:.2f}.",
        ]
    return "\n".join(lines)


def plans(results):
    out = []
    for r in results:
        if r.get("plan"):
            out += [
                f"<details><summary>{r['name']}: {r['url']}</summary>",
                "",
                "```",
                r["plan"],
                "```",
                "</details>",
                "",
            ]
    return "\n".join(out)


def write_section(key, body):
    start, end = f"<!-- bench:{key} -->", f"<!-- /bench:{key} -->"
    text = DOC.read_text() if DOC.exists() else "# Performance\n"
    block = f"{start}\n{body}\n{end}"
    if start in text:
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + f"\n\n{block}\n"
    DOC.write_text(text)


def wanted(name, args):
    """The scenario is run: --only names part of it, --skip not all of it."""
    return (not args.only or args.only in name) and name not in args.skip


def print_export(name, export):
    print(
        f"{name:40} {export['rows']:,} rows p50 {export['p50']:.0f} ms, "
        f"peak {export['peak_mb']:.1f} MB",
        flush=True,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tier", choices=sorted(tiers.TIERS), default="M")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--csv-runs", type=int, default=3, help="runs of each export")
    parser.add_argument("--only", help="run the scenarios whose name contains this")
    parser.add_argument(
        "--skip", action="append", default=[], help="leave out the scenario of this exact name"
    )
    parser.add_argument("--no-write", action="store_true", help="print, do not write the doc")
    args = parser.parse_args(argv)
    if args.tier == "L" and connection.vendor != "postgresql":
        raise SystemExit("Tier L runs on PostgreSQL: set DATABASE_URL.")

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    call_command("migrate", verbosity=0, interactive=False)
    tiers.ensure_tier(args.tier, out=print)
    found, export_scenarios = scenarios(tiers.demo_people())
    results = []
    for scenario in found:
        if not wanted(scenario.name, args):
            continue
        result = measure(scenario, args.runs)
        results.append(result)
        print(
            f"{result['name']:40} {result['queries']:3} q  p50 {result['p50']:8.1f}  "
            f"p95 {result['p95']:8.1f}  floor {result['floor_p50']:8.1f} ms",
            flush=True,
        )
    exports = []
    for scenario in export_scenarios:
        if wanted(scenario.name, args):
            exports.append(measure_export(scenario, args.csv_runs))
            print_export(scenario.name, exports[-1])

    # django-tables2's own export builds the whole file in memory (300 MB at tier M): it is
    # compared at tier M only.
    for export_format in ("csv", "xlsx") if args.tier == "M" else ():
        name = f"tables2 TableExport {export_format} export, org members"
        if wanted(name, args):
            exports.append(measure_table_export(export_format, args.csv_runs))
            print_export(name, exports[-1])

    info = machine()
    RESULTS.mkdir(exist_ok=True)
    key = f"{connection.vendor}-{args.tier}"
    saved = {"info": info, "results": results, "exports": exports, "runs": args.runs}
    if not (args.only or args.skip):
        (RESULTS / f"results-{key}.json").write_text(json.dumps(saved, indent=1))
    other = None
    other_file = RESULTS / f"results-{connection.vendor}-M.json"
    if args.tier == "L" and other_file.exists():
        other = {r["name"]: r for r in json.loads(other_file.read_text())["results"]}
    body = table(results, exports, info, args.tier, args.runs, other)
    print()
    print(body)
    if args.only or args.skip or args.no_write:
        return
    section = f"### {info['engine'].split()[0]}, tier {args.tier}\n\n{body}\n"
    write_section(key, section)
    print(f"\nWritten to {DOC.relative_to(ROOT)}.")
    if connection.vendor == "postgresql":
        # The plans are for reading after a run, not a reference: beside the results.
        plan_file = RESULTS / f"plans-{key}.md"
        plan_file.write_text(
            f"EXPLAIN ANALYZE of each request's slowest statement:\n\n{plans(results)}"
        )
        print(f"Plans in {plan_file.relative_to(ROOT)}.")


if __name__ == "__main__":
    main()
