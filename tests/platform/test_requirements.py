"""The pinned requirements: the runtime file holds no test or lint tool, and the dev file agrees
with the runtime pins."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def pinned(requirements_file):
    """{name: version} of a pip-compile output, after checking every pin carries a hash."""
    text = (ROOT / requirements_file).read_text()
    pins = {}
    for block in re.split(r"\n(?=[a-z0-9])", text.split("\n", 6)[-1]):
        name, version = re.match(r"([a-z0-9._-]+)==(\S+)", block).groups()
        assert "--hash=sha256:" in block, f"{name} has no hash in {requirements_file}"
        pins[name] = version
    return pins


def test_the_runtime_requirements_hold_no_test_or_lint_tool():
    runtime = pinned("requirements.txt")
    assert {"django", "gunicorn", "django-prometheus"} <= runtime.keys()
    assert not {"pytest", "pytest-django", "hypothesis", "schemathesis", "playwright", "ruff"} & (
        runtime.keys()
    )


def test_the_dev_requirements_agree_with_the_runtime_pins():
    runtime, dev = pinned("requirements.txt"), pinned("requirements-dev.txt")
    assert {"pytest", "ruff", "pip-tools"} <= dev.keys()
    assert {name: dev[name] for name in dev.keys() & runtime.keys()} == {
        name: runtime[name] for name in dev.keys() & runtime.keys()
    }
