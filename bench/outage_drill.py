"""Database outage drill: load the app for a while, stop PostgreSQL in the middle, start it
again, and account for every request.

    .venv/bin/python bench/outage_drill.py --targets targets.json --cluster "15 drill"

32 client threads send the request mix (bench/reliability_targets.py) to the server for
--duration seconds; at --outage-at the cluster is stopped (`pg_ctlcluster … stop -m fast`)
and --outage-for seconds later started again. Every request is recorded (start, latency,
status, content type); the summary splits them into before / during / after the outage and
checks the promises: during the outage every answer is a JSON (API) or HTML (page) error
within 2 s; after the restart the requests succeed again without restarting the app.
"""

import argparse
import http.client
import json
import subprocess
import threading
import time
from collections import Counter
from urllib.parse import urlsplit

LIMIT_SECONDS = 2.0


def client(base, paths, headers, stop_at, records, lock, offset):
    split = urlsplit(base)
    connection = None
    n = offset
    while time.monotonic() < stop_at:
        path = paths[n % len(paths)]
        n += 1
        started = time.monotonic()
        try:
            if connection is None:
                connection = http.client.HTTPConnection(split.hostname, split.port, timeout=10)
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            status, ctype = response.status, response.getheader("Content-Type", "")
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
        except OSError as error:
            status, ctype = f"error: {type(error).__name__}", ""
            if connection is not None:
                connection.close()
            connection = None
        record = (started, time.monotonic() - started, status, ctype.split(";")[0], path)
        with lock:
            records.append(record)


def pg_ctl(cluster, action):
    version, name = cluster.split()
    command = ["pg_ctlcluster", version, name, action]
    if action == "stop":
        command += ["-m", "fast"]
    subprocess.run(command, check=True)
    return time.monotonic()


def expected_type(path):
    return "application/json" if path.startswith(("/api/", "/vfo/")) else "text/html"


def phase_of(record, stop_issued, started_at):
    start, latency = record[0], record[1]
    if start + latency < stop_issued:
        return "before"
    if start < stop_issued:
        return "in_flight_at_stop"  # started before the stop, answered after it
    return "outage" if start < started_at else "after"


def summarise(records, stop_issued, started_at):
    phases = {"before": [], "in_flight_at_stop": [], "outage": [], "after": []}
    for record in records:
        phases[phase_of(record, stop_issued, started_at)].append(record)
    summary = {}
    for name, rows in phases.items():
        latencies = sorted(r[1] for r in rows)
        summary[name] = {
            "requests": len(rows),
            "statuses": dict(Counter(str(r[2]) for r in rows)),
            "content_types": dict(Counter(r[3] for r in rows)),
            "p50_latency_ms": round(latencies[len(latencies) // 2] * 1000, 1) if rows else None,
            "max_latency_s": round(latencies[-1], 3) if latencies else None,
            "over_2s": sum(1 for r in rows if r[1] > LIMIT_SECONDS),
        }
    outage = phases["outage"]
    errors = [r for r in outage if r[2] != 200]
    slow = [r for r in outage if r[2] == 200 and r[1] > LIMIT_SECONDS]
    after = sorted(phases["after"])
    first_ok = next((r for r in after if r[2] == 200), None)
    summary["checks"] = {
        # An answer served before the stop took effect may still be a 200.
        "outage_answers_are_json_or_html_errors": all(
            r[2] == 200 or (isinstance(r[2], int) and r[2] >= 500 and r[3] == expected_type(r[4]))
            for r in outage
        ),
        "outage_errors": sum(1 for r in outage if r[2] != 200),
        # The server accepts connections again a little before `pg_ctlcluster start` returns:
        # answers in the outage window that are 200s come from the recovered database.
        "outage_errors_within_2s": all(r[1] <= LIMIT_SECONDS for r in errors),
        "outage_max_error_latency_s": round(max((r[1] for r in errors), default=0), 3),
        "outage_200s_over_2s": len(slow),
        "seconds_from_restart_to_first_200": round(first_ok[0] + first_ok[1] - started_at, 3)
        if first_ok
        else None,
        "first_100_after_restart_ok": sum(1 for r in after[:100] if r[2] == 200),
        "after_non_200": sum(1 for r in after if r[2] != 200),
    }
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--targets", required=True)
    parser.add_argument("--cluster", default="15 drill")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--outage-at", type=float, default=15)
    parser.add_argument("--outage-for", type=float, default=30)
    parser.add_argument("--out", help="write the summary JSON here too")
    args = parser.parse_args()
    with open(args.targets) as file:
        targets = json.load(file)
    records, lock = [], threading.Lock()
    begin = time.monotonic()
    stop_at = begin + args.duration
    threads = [
        threading.Thread(
            target=client,
            args=(args.base, targets["paths"], targets["headers"], stop_at, records, lock, i),
        )
        for i in range(args.clients)
    ]
    for thread in threads:
        thread.start()
    time.sleep(args.outage_at)
    stop_issued = time.monotonic()
    stopped_at = pg_ctl(args.cluster, "stop")
    time.sleep(max(0, args.outage_for - (stopped_at - stop_issued)))
    start_issued = time.monotonic()
    started_at = pg_ctl(args.cluster, "start")
    for thread in threads:
        thread.join()
    summary = summarise(records, stop_issued, started_at)
    summary["timeline_s"] = {
        "stop_issued": round(stop_issued - begin, 2),
        "stopped": round(stopped_at - begin, 2),
        "start_issued": round(start_issued - begin, 2),
        "started": round(started_at - begin, 2),
        "end": round(time.monotonic() - begin, 2),
    }
    text = json.dumps(summary, indent=2)
    print(text)
    if args.out:
        with open(args.out, "w") as file:
            file.write(text + "\n")
        with open(args.out.replace(".json", "-requests.json"), "w") as file:
            json.dump([[round(r[0] - begin, 4), *r[1:]] for r in records], file)


if __name__ == "__main__":
    main()
