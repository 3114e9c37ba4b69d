"""`make serve` believes forwarded-scheme headers only behind a TLS proxy (gunicorn's
--forwarded-allow-ips), as Django does."""

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_when_up(port, path, headers, deadline):
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheader("Location")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize(
    ("behind_proxy", "expected"),
    [("false", 301), ("true", 200)],
)
def test_make_serve_trusts_forwarded_proto_only_behind_a_tls_proxy(
    tmp_path, behind_proxy, expected
):
    """`make serve` itself (the venv running this test, not remade), on a scratch database, with
    the HTTPS redirect on: a plain request claiming X-Forwarded-Proto: https from 127.0.0.1 is
    redirected unless BEHIND_TLS_PROXY says a proxy terminates TLS there."""
    port = free_port()
    venv = Path(sys.prefix)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DEBUG", "SECURE_", "FORWARDED_", "BEHIND_"))
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        SECURE_SSL_REDIRECT="true",
        BEHIND_TLS_PROXY=behind_proxy,
    )
    server = subprocess.Popen(
        ["make", "--no-print-directory", "-o", f"{venv}/.installed", "serve", f"VENV={venv}"]
        + [f"BIND=127.0.0.1:{port}", "WORKERS=1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        status, location = get_when_up(
            port,
            "/login/",
            {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"},
            deadline=time.monotonic() + 120,
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    assert status == expected
    if expected == 301:
        assert location == "https://127.0.0.1/login/"
