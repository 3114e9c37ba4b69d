"""The work of one request in process: the throughput targets (bench/load_targets.py) called
through the WSGI application as gunicorn calls it, with `make serve`'s settings (DEBUG=false,
the Prometheus multiprocess directory, the request log: its lines go to stderr), timed in CPU
time of this process.

    DATABASE_URL=… .venv/bin/python bench/request_cpu.py [--runs 50] [--only NAME]
    DATABASE_URL=… .venv/bin/python bench/request_cpu.py --only "org members API" --profile

Prints, per target, the lowest and the median CPU time of --runs requests (after warm-up)
and the wall time's median; --profile prints a cProfile (CPU time) of the target's requests
instead, in the order of --sort (pstats: cumulative, tottime). The tier must be built
(bench/load.sh or bench/run.py builds it); a browser session is made for the page targets as
bench/load.sh makes them.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")
# `make serve`'s settings.
os.environ.update(
    DEBUG="false",
    SECRET_KEY=os.environ.get("SECRET_KEY") or "request-cpu-" + "x" * 40,
    ALLOWED_HOSTS="127.0.0.1,localhost",
    SECURE_SSL_REDIRECT="false",
    SESSION_COOKIE_SECURE="false",
    CSRF_COOKIE_SECURE="false",
    SECURE_HSTS_SECONDS="0",
)
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="request-cpu-"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

from bench.load_targets import targets  # noqa: E402

WARMUP = 5


def environ(path, headers):
    path, _, query = path.partition("?")
    env = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in headers.items():
        env["HTTP_" + name.upper().replace("-", "_")] = value
    return env


def requester(application, path, headers):
    statuses = []

    def start_response(status, response_headers, exc_info=None):
        statuses.append(status)

    def request():
        body = application(environ(path, headers), start_response)
        try:
            for _ in body:
                pass
        finally:
            body.close()
        if not statuses[-1].startswith("200"):
            raise SystemExit(f"{path}: {statuses[-1]}")

    return request


def measure(request, runs):
    for _ in range(WARMUP):
        request()
    cpu, wall = [], []
    for _ in range(runs):
        started_cpu, started = time.process_time(), time.perf_counter()
        request()
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    return min(cpu), statistics.median(cpu), statistics.median(wall)


def load_average():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--only", default="")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="cumulative", help="the profile's order (pstats)")
    args = parser.parse_args()
    call_command("collectstatic", interactive=False, verbosity=0)
    application = get_wsgi_application()
    print(f"load average {load_average()}")
    for name, path, headers in targets():
        if args.only not in name or path.startswith("/static/"):
            continue
        request = requester(application, path, headers)
        if args.profile:
            for _ in range(WARMUP):
                request()
            profile = cProfile.Profile(time.process_time)
            profile.enable()
            for _ in range(args.runs):
                request()
            profile.disable()
            print(f"## {name} ({args.runs} requests)")
            pstats.Stats(profile).sort_stats(args.sort).print_stats(60)
            continue
        lowest, median, wall = measure(request, args.runs)
        print(f"{name:40} CPU lowest {lowest:6.2f} ms, median {median:6.2f} ms; wall {wall:.1f} ms")
    print(f"load average {load_average()}")


if __name__ == "__main__":
    main()
