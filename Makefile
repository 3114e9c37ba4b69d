# Two commands for a new user: `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Django 6 needs Python 3.12+: take the first interpreter on this machine that is new enough.
PYTHON_BOOT ?= $(shell for p in python3.12 python3.13 $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3) $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3) python3; do \
	"$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { command -v "$$p"; break; }; done)

.PHONY: run test lint format serve bench venv browser-tools screenshots replica-drill

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	@test -n "$(PYTHON_BOOT)" || { echo "Python 3.12 or newer is required (none found)." >&2; exit 1; }
	test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

run: venv
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py seed_demo --if-empty
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

# Production-style serving: gunicorn on 127.0.0.1:8000, static files by whitenoise, DEBUG off.
# Plain HTTP on localhost by default; set SECRET_KEY, ALLOWED_HOSTS and the SECURE_* variables
# (README.md, "Configuration") for a real host. WORKERS defaults to 2 × cores + 1.
# gunicorn believes X-Forwarded-Proto/-Ssl/-Protocol only with BEHIND_TLS_PROXY on, and then
# only from FORWARDED_ALLOW_IPS (default 127.0.0.1,::1); otherwise from no one.
# --limit-request-line 8190 (gunicorn's largest bounded value, up from 4094): the longest
# schema-valid query (a text value at its 300-character limit, every character 12 bytes
# percent-encoded, and the other parameters) is answered by the application, not gunicorn's 414.
WORKERS ?= $(shell echo $$(( $$(nproc) * 2 + 1 )))
BIND ?= 127.0.0.1:8000
serve: venv
	@export DEBUG=false SECRET_KEY="$${SECRET_KEY:-serve-$$(head -c 48 /dev/urandom | base64 | tr -d '/+=')}" \
	  ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-false}" \
	  SESSION_COOKIE_SECURE="$${SESSION_COOKIE_SECURE:-false}" CSRF_COOKIE_SECURE="$${CSRF_COOKIE_SECURE:-false}" \
	  SECURE_HSTS_SECONDS="$${SECURE_HSTS_SECONDS:-0}"; \
	$(PY) manage.py migrate --noinput && \
	$(PY) manage.py collectstatic --noinput --verbosity 0 && \
	case "$$(echo "$${BEHIND_TLS_PROXY:-}" | tr -d '[:space:]' | tr '[:upper:]' '[:lower:]')" in \
	  1|true|yes|on) forwarded="$${FORWARDED_ALLOW_IPS:-127.0.0.1,::1}" ;; *) forwarded="" ;; esac && \
	exec $(VENV)/bin/gunicorn site_config.wsgi:application --bind $(BIND) --workers $(WORKERS) \
	  --forwarded-allow-ips "$$forwarded" --access-logfile - --graceful-timeout 10 --timeout 60 \
	  --limit-request-line 8190

# The benchmark (bench/run.py, results in docs/performance.md): TIER=M (default) or L
# (PostgreSQL only). Without DATABASE_URL it runs on bench/data/bench_<tier>.sqlite3; an
# empty database is filled with the tier first. BENCH_ARGS: e.g. --runs 30 or --only course.
TIER ?= M
bench: venv
	mkdir -p bench/data
	DEBUG=true DATABASE_URL="$${DATABASE_URL:-sqlite:///$(CURDIR)/bench/data/bench_$(TIER).sqlite3}" \
	  $(PY) bench/run.py --tier $(TIER) $(BENCH_ARGS)

# The replica drill (docs/reliability.md, "A real replica"): a throwaway primary and hot standby
# on :55432 and :55433, the app on :8055, all dropped at the end. Manual (not in CI), ~2 minutes.
replica-drill: venv
	bash bench/replica_drill.sh

# axe-core for the browser suite (tests/browser); Chromium is Debian's: apt-get install chromium.
# Without npm (or Chromium) the browser tests skip, with the reason, outside CI.
browser-tools: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

test: venv $(if $(shell command -v npm),browser-tools)
	$(VENV)/bin/pytest

# Refresh docs/screenshots/ from the browser suite's screenshots (pngquant, when installed, shrinks them).
SCREENSHOTS := login-1280 home-1280 course-1280 course-1280-dark course-375 org-members-1280 \
	org-members-375-dark member-1280 portal-members-375 forbidden-1280
screenshots: venv browser-tools
	$(VENV)/bin/pytest -m browser -q
	mkdir -p docs/screenshots
	for name in $(SCREENSHOTS); do \
	  if command -v pngquant >/dev/null; then pngquant --force --strip --quality 60-85 --output docs/screenshots/$$name.png browser-screenshots/$$name.png; \
	  else cp browser-screenshots/$$name.png docs/screenshots/$$name.png; fi; done

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
