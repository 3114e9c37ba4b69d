"""Replica drill: where each query runs, the lag a user sees, and a standby stopped mid-load.

    DATABASE_URL=<primary> .venv/bin/python bench/replica_drill.py --targets targets.json \\
        --standby-url <standby> --stop-standby "…" --start-standby "…" --workers 3

Run by bench/replica_drill.sh against a served app (DATABASE_URL = the primary,
DATABASE_REPLICA_URL = its hot standby). Three measurements, printed as one JSON summary:

1. routing: pg_stat_statements reset on both servers, the request mix sent (bearer key and
   session cookie) and a log-in through the form (the writes); the statements each server ran.
2. lag: a course member inserted on the primary (through the ORM, committed), then polled for:
   on the standby directly (replay) and through the API (what a user sees); p50 and max in ms.
3. outage: client threads send the mix for --duration seconds; at --stop-at the standby is
   stopped (`pg_ctl stop -m fast`), at --start-at started again. Every request recorded; the
   app's connections to the standby sampled every 50 ms to time the return to it.
"""

import argparse
import http.client
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.pop("DATABASE_REPLICA_URL", None)  # this process writes and reads on the primary

import django  # noqa: E402

django.setup()

from dashboards.models import CourseMember, User  # noqa: E402

APP_TABLE = re.compile(r'"((?:dashboards|django|auth)_\w+)"')


def ms(seconds):
    return round(seconds * 1000, 1)


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * fraction))] if values else None


class Client:
    """One keep-alive HTTP connection to the app; GET and POST with fixed headers."""

    def __init__(self, base, headers):
        self.split, self.headers, self.connection = urlsplit(base), dict(headers), None

    def request(self, method, path, body=None, headers=()):
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    self.split.hostname, self.split.port, timeout=10
                )
            self.connection.request(
                method, path, body=body, headers={**self.headers, **dict(headers)}
            )
            response = self.connection.getresponse()
            return response.status, response.read(), response
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.connection = None
            return f"error: {type(error).__name__}", b"", None


def statements(url):
    """Calls per (statement kind, app tables) on one server since the last reset."""
    with psycopg.connect(url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT query, calls FROM pg_stat_statements"
            " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
        ).fetchall()
    counts = Counter()
    for query, calls in rows:
        tables = sorted(set(APP_TABLE.findall(query)))
        if tables:
            counts[f"{query.split()[0].upper()} {' + '.join(tables)}"] += calls
    return dict(sorted(counts.items()))


def reset_statements(*urls):
    for url in urls:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("SELECT pg_stat_statements_reset()")


def log_in(base, username, password):
    """Log in through the form (as a browser does); return the status of the POST."""
    client = Client(base, {})
    status, body, response = client.request("GET", "/login/")
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "")).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = f"csrfmiddlewaretoken={token}&username={username}&password={password}"
    status, _, _ = client.request(
        "POST",
        "/login/",
        body=form,
        headers={
            "Cookie": f"csrftoken={csrf_cookie}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    return status


def routing(args, targets):
    writer = User.objects.filter(username="drill-writer").first() or User(username="drill-writer")
    writer.set_password("drill-writer-password")
    writer.save()
    reset_statements(args.primary_url, args.standby_url)
    client = Client(args.base, targets["headers"])
    statuses = Counter()
    for _ in range(args.rounds):
        for path in targets["paths"]:
            statuses[client.request("GET", path)[0]] += 1
    login_status = log_in(args.base, "drill-writer", "drill-writer-password")
    time.sleep(1)  # pg_stat_statements is updated at the end of each statement: let it settle
    primary, standby = statements(args.primary_url), statements(args.standby_url)
    auth_tables = ("dashboards_credential", "django_session")
    return {
        "requests": dict(Counter({str(k): v for k, v in statuses.items()})),
        "login_status": login_status,
        "primary": primary,
        "standby": standby,
        "checks": {
            "standby_ran_only_selects": all(key.startswith("SELECT ") for key in standby),
            "standby_credential_or_session_reads": sum(
                calls for key, calls in standby.items() if any(t in key for t in auth_tables)
            ),
            "primary_dashboard_reads": sum(
                calls
                for key, calls in primary.items()
                if key.startswith("SELECT ") and not any(t in key for t in auth_tables)
            ),
            "primary_writes": sum(
                calls for key, calls in primary.items() if not key.startswith("SELECT ")
            ),
        },
    }


def new_member(course_id, n):
    user = User(username=f"drill-lag-{n}", email=f"drill-lag-{n}@example.org")
    user.set_unusable_password()
    user.save()
    CourseMember.objects.create(user=user, course_id=course_id, join_status=CourseMember.JOINED)
    return user


def lag(args, targets):
    """Milliseconds from the commit on the primary to the member seen on the standby, and in
    the API's answer (every poll a full request; the first poll starts right after the commit)."""
    course_id = int(re.search(r"/course/(\d+)/", targets["paths"][0]).group(1))
    client = Client(args.base, targets["headers"])
    replay, visible, first_poll = [], [], 0
    with psycopg.connect(args.standby_url, autocommit=True) as standby:
        for n in range(args.lag_tries):
            user = new_member(course_id, 2 * n)
            committed = time.monotonic()
            while not standby.execute(
                "SELECT 1 FROM dashboards_coursemember WHERE user_id = %s", (user.pk,)
            ).fetchone():
                if time.monotonic() - committed > 10:
                    raise RuntimeError("the member did not reach the standby in 10 s")
            replay.append(time.monotonic() - committed)

            user = new_member(course_id, 2 * n + 1)
            committed, polls = time.monotonic(), 0
            while True:
                status, body, _ = client.request(
                    "GET", f"/api/v2/course/{course_id}/users/?search={user.username}"
                )
                polls += 1
                if status == 200 and user.username.encode() in body:
                    break
                if time.monotonic() - committed > 10:
                    raise RuntimeError("the member did not appear in the API in 10 s")
            visible.append(time.monotonic() - committed)
            first_poll += polls == 1
            time.sleep(0.05)
    return {
        "tries": args.lag_tries,
        "standby_replay_ms": {"p50": ms(percentile(replay, 0.5)), "max": ms(max(replay))},
        "api_visible_ms": {"p50": ms(percentile(visible, 0.5)), "max": ms(max(visible))},
        "api_visible_at_first_poll": first_poll,
    }


def load(client, paths, stop_at, records, offset):
    n = offset
    while time.monotonic() < stop_at:
        path = paths[n % len(paths)]
        n += 1
        started = time.monotonic()
        status, _, response = client.request("GET", path)
        if status != 200 and response is not None:
            status = f"{status} {response.getheader('Content-Type', '').split(';')[0]}"
        records.append((started, time.monotonic() - started, status, path))


def app_connections_on_standby(url, database, stop_at, samples):
    """Sample how many of the app's connections are open on the standby (None: it is down)."""
    connection = None
    while time.monotonic() < stop_at:
        try:
            connection = connection or psycopg.connect(url, autocommit=True, connect_timeout=2)
            count = connection.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = %s AND backend_type = 'client backend'",
                (database,),
            ).fetchone()[0]
        except psycopg.Error:
            connection, count = None, None
        samples.append((time.monotonic(), count))
        time.sleep(0.05)


def outage(args, targets):
    records, samples = [], []
    begin = time.monotonic()
    stop_at = begin + args.duration
    monitor_url = args.standby_url.rsplit("/", 1)[0] + "/postgres"
    database = urlsplit(args.standby_url).path.lstrip("/")
    threads = [
        threading.Thread(
            target=load,
            args=(Client(args.base, targets["headers"]), targets["paths"], stop_at, records, i),
        )
        for i in range(args.clients)
    ]
    threads.append(
        threading.Thread(
            target=app_connections_on_standby, args=(monitor_url, database, stop_at, samples)
        )
    )
    for thread in threads:
        thread.start()
    time.sleep(args.stop_at)
    stop_issued = time.monotonic()
    subprocess.run(args.stop_standby, shell=True, check=True, stdout=subprocess.DEVNULL)
    stopped = time.monotonic()
    time.sleep(max(0, args.start_at - (stopped - begin)))
    start_issued = time.monotonic()
    subprocess.run(args.start_standby, shell=True, check=True, stdout=subprocess.DEVNULL)
    started = time.monotonic()
    for thread in threads:
        thread.join()

    def phase(record):
        start, latency = record[0], record[1]
        if start + latency < stop_issued:
            return "before"
        if start < stop_issued:
            return "in_flight_at_stop"
        return "standby_down" if start < started else "after_restart"

    phases = {}
    for record in records:
        phases.setdefault(phase(record), []).append(record)
    summary = {}
    for name in ("before", "in_flight_at_stop", "standby_down", "after_restart"):
        rows = phases.get(name, [])
        latencies = [r[1] for r in rows]
        summary[name] = {
            "requests": len(rows),
            "statuses": dict(Counter(str(r[2]) for r in rows)),
            "p50_ms": ms(percentile(latencies, 0.5)) if rows else None,
            "max_ms": ms(max(latencies)) if rows else None,
        }
    back = [t for t, count in samples if t > started and count]
    all_back = [t for t, count in samples if t > started and count and count >= args.workers]
    summary["errors"] = sum(1 for r in records if r[2] != 200)
    summary["standby_back_s"] = {
        "first_app_connection": round(back[0] - started, 2) if back else None,
        "all_workers": round(all_back[0] - started, 2) if all_back else None,
    }
    summary["timeline_s"] = {
        "stop_issued": round(stop_issued - begin, 2),
        "stopped": round(stopped - begin, 2),
        "start_issued": round(start_issued - begin, 2),
        "started": round(started - begin, 2),
        "end": round(time.monotonic() - begin, 2),
    }
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8055")
    parser.add_argument("--targets", required=True)
    parser.add_argument("--primary-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--standby-url", required=True)
    parser.add_argument("--stop-standby", required=True, help="shell command")
    parser.add_argument("--start-standby", required=True, help="shell command")
    parser.add_argument("--workers", type=int, default=3, help="the app's worker processes")
    parser.add_argument("--rounds", type=int, default=3, help="request mix rounds (routing)")
    parser.add_argument("--lag-tries", type=int, default=30)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--duration", type=float, default=45)
    parser.add_argument("--stop-at", type=float, default=10)
    parser.add_argument("--start-at", type=float, default=25)
    parser.add_argument("--out", help="write the summary JSON here too")
    args = parser.parse_args()
    with open(args.targets) as file:
        targets = json.load(file)
    summary = {"routing": routing(args, targets), "lag": lag(args, targets)}
    summary["outage"] = outage(args, targets)
    text = json.dumps(summary, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")


if __name__ == "__main__":
    main()
