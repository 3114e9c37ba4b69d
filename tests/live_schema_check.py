"""The live schema check: Schemathesis against gunicorn as `make serve` runs
it, every operation, every check, both credential headers. CI runs it once (.ci/run):

    .venv/bin/python tests/live_schema_check.py [--examples 30]

It seeds the demo into a throwaway SQLite database (or DATABASE_URL, which must name an empty
or demo database), starts `make serve` on a free loopback port with that database, runs
`st run … --checks all` (positive_data_acceptance refined for the org contract's prescribed
400s: tests/live_schema_hooks.py), then sends the longest requests the schema allows, which
must get JSON answers of their family (not gunicorn's 414), and stops the server. Exit status
0 when everything passed. Prints the examples run and the time taken.
"""

import argparse
import itertools
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(sys.executable).parents[1]
# The demo's public, demo-only partner key (dashboards/demo/generator.py): it may read everything.
KEY = "demo-partner-key-public-never-use-in-production"
WIDE = "\U0001f600"  # 4 bytes in UTF-8: 12 percent-encoded, the widest character


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_for(url, server, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"make serve exited with status {server.returncode}")
        try:
            with urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"the server did not answer {url} within {seconds} s")


def get(url):
    """(status, content type, body bytes) with both credential headers."""
    request = Request(url, headers={"Authorization": f"Bearer {KEY}", "SID": KEY})
    try:
        with urlopen(request, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def longest_requests(base):
    """The longest query each operation's schema allows (text at maxLength in the widest
    character, lists at maxItems of their longest item, the other values at their widest),
    with the path ids at their largest, then at 1 (the demo's first rows, so the parameters
    are read)."""
    schema = json.loads(get(f"{base}/api/schema/?format=json")[2])
    for (path, operations), ids in itertools.product(schema["paths"].items(), ("max", 1)):
        query, url = {}, path
        for parameter in operations["get"]["parameters"]:
            value = parameter["schema"]
            if parameter["in"] == "path":
                path_id = value["maximum"] if ids == "max" else ids
                url = url.replace(f"{{{parameter['name']}}}", str(path_id))
            elif parameter["in"] != "query":
                continue
            elif value.get("type") == "array":
                longest = max(value["items"]["enum"], key=len)
                query[parameter["name"]] = ",".join([longest] * value["maxItems"])
            elif value.get("type") == "string" and "maxLength" in value:
                query[parameter["name"]] = WIDE * value["maxLength"]
            elif "enum" in value:
                query[parameter["name"]] = max(value["enum"], key=len)
            elif value.get("type") == "integer":
                query[parameter["name"]] = str(value.get("minimum", -(10**20)))
            else:
                query[parameter["name"]] = "false"
        yield f"{base}{url}?{urlencode(query)}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=30, help="per operation (default 30)")
    options = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="live-schema-") as tmp:
        env = dict(os.environ)
        env.setdefault("DATABASE_URL", f"sqlite:///{tmp}/live.sqlite3")
        setup = env | {"DEBUG": "true"}
        manage(setup, "migrate", "--noinput", "--verbosity", "0")
        manage(setup, "seed_demo", "--users", "200", "--if-empty", "--verbosity", "0")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        # `make serve` itself (its gunicorn flags), on this venv, without refreshing it.
        serve = ["make", "--no-print-directory", "-o", f"{VENV}/.installed", "serve"]
        serve += [f"VENV={VENV}", f"BIND=127.0.0.1:{port}", "WORKERS=2"]
        log = open(Path(tmp) / "serve.log", "w")  # noqa: SIM115 (read on failure)
        server = subprocess.Popen(
            serve, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            wait_for(f"{base}/api/schema/?format=json", server)
            schema_started = time.monotonic()
            run = subprocess.run(
                [
                    str(VENV / "bin" / "st"),
                    "run",
                    f"{base}/api/schema/?format=json",
                    "--checks=all",
                    "--exclude-checks=positive_data_acceptance",
                    f"--header=Authorization: Bearer {KEY}",
                    f"--header=SID: {KEY}",
                    f"--max-examples={options.examples}",
                    "--generation-deterministic",
                    "--workers=2",
                    "--no-color",
                    f"--report-dir={tmp}/report",
                ],
                cwd=tmp,  # where st keeps its cache
                env=env
                | {"SCHEMATHESIS_HOOKS": "tests.live_schema_hooks", "PYTHONPATH": str(ROOT)},
                capture_output=True,
                text=True,
                check=False,
            )
            print(run.stdout[-6000:], run.stderr[-2000:], sep="\n")
            schema_seconds = time.monotonic() - schema_started
            problems = [] if run.returncode == 0 else [f"st run exited with {run.returncode}"]
            for url in longest_requests(base):
                status, content_type, _ = get(url)
                if not (content_type or "").startswith("application/json") or status >= 500:
                    problems.append(f"{status} {content_type} for {len(url)} bytes: {url[:120]}…")
                else:
                    print(f"longest request: {len(url)} bytes → {status} JSON  {url[:60]}…")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            log.close()
        if problems:
            print((Path(tmp) / "serve.log").read_text()[-3000:])
    generated = re.search(r"(\d+) generated", run.stdout)
    print(
        f"live schema check: {generated.group(1) if generated else '?'} test cases "
        f"({options.examples} examples per operation) in {schema_seconds:.0f} s; "
        f"{time.monotonic() - started:.0f} s in all"
    )
    for problem in problems:
        print("FAILED:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
