"""make run / make reset-demo: the demo's links carry the address it is served on."""

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def test_seed_demo_prints_links_with_the_base_url_it_is_given(db):
    out = io.StringIO()
    call_command("seed_demo", "--users", "120", "--base-url", "http://127.0.0.1:8010/", stdout=out)
    report = out.getvalue()
    assert "http://127.0.0.1:8010/admin/" in report
    assert re.search(r"curl .*http://127\.0\.0\.1:8010/vfo/orgs/\d+/dashboard/members", report)
    assert ":8000" not in report


def make_dry_run(*args):
    """The commands make would run (make -n runs none of them)."""
    done = subprocess.run(
        ["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_serves_and_links_on_the_port_given():
    commands = make_dry_run("run", "PORT=8010")
    assert "seed_demo --if-empty --base-url http://127.0.0.1:8010" in commands
    assert "runserver 127.0.0.1:8010" in commands


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_reset_demo_starts_the_demo_afresh():
    commands = make_dry_run("reset-demo", "HOST=0.0.0.0", "PORT=8011")
    assert "rm -f db.sqlite3" in commands and "flush --noinput" in commands
    assert "migrate --noinput" in commands
    assert "--base-url http://127.0.0.1:8011" in commands
