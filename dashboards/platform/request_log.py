"""One log line per request, with a request id; JSON lines when LOG_FORMAT=json.

The line: request id, method, path, route name, status, duration and database queries. The id
comes from `X-Request-ID` when a trusted proxy (REQUEST_ID_TRUSTED_IPS) sends a sane one, else
it is generated; it is returned in the response's `X-Request-ID` and carried by every log
record written while the request runs, so an error's traceback can be found from the id.
"""

import contextvars
import json
import logging
import re
import time
import uuid
from contextlib import ExitStack

from django.conf import settings
from django.core.signals import request_finished
from django.db import connections
from django.dispatch import receiver
from prometheus_client import Histogram

from dashboards.platform.health import HEALTH_PATHS, METRICS_PATH, address_allowed

logger = logging.getLogger("dashboards.request")

REQUEST_ID_HEADER = "X-Request-ID"
# Ids a proxy may pass on: short, and nothing a log reader could mistake for structure.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
# Probes and scrapes every few seconds would drown the requests people make.
UNLOGGED_PATHS = HEALTH_PATHS | {METRICS_PATH}

current_request_id = contextvars.ContextVar("request_id", default=None)

QUERIES = Histogram(
    "dashboards_db_queries_per_request",
    "Database queries run by one request (up to its response; a streamed body's are not "
    "counted), by route name.",
    ["view"],
    buckets=(1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 50, 100),
)


def request_id_for(request):
    presented = request.headers.get(REQUEST_ID_HEADER, "")
    if SANE_REQUEST_ID.fullmatch(presented) and address_allowed(
        request.META.get("REMOTE_ADDR", ""), settings.REQUEST_ID_TRUSTED_IPS
    ):
        return presented
    return uuid.uuid4().hex


class QueryCounter:
    """Counts the statements run through Django's connections (an execute wrapper)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class RequestLogMiddleware:
    """Second in MIDDLEWARE (after dashboards.platform.health's): sees every answer, redirects and
    refusals included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in UNLOGGED_PATHS:
            return self.get_response(request)
        request.request_id = request_id_for(request)
        # Kept until the response is closed (request_finished), so that django.request's
        # line about a 4xx/5xx and a streamed body's records carry the id too.
        current_request_id.set(request.request_id)
        counter = QueryCounter()
        started = time.monotonic()
        with ExitStack() as stack:
            for alias in settings.DATABASES:
                stack.enter_context(connections[alias].execute_wrapper(counter))
            response = self.get_response(request)
        duration_ms = round((time.monotonic() - started) * 1000, 1)
        response[REQUEST_ID_HEADER] = request.request_id
        route = route_name(request)
        QUERIES.labels(view=route or "<unnamed view>").observe(counter.count)
        logger.info(
            "%s %s %s %s %.1f ms %d queries",
            request.method,
            request.get_full_path()[:1000],
            route or "-",
            response.status_code,
            duration_ms,
            counter.count,
            extra={
                "method": request.method,
                "path": request.path[:1000],
                "route": route,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "queries": counter.count,
            },
        )
        return response


@receiver(request_finished)
def forget_request_id(**kwargs):
    current_request_id.set(None)


def route_name(request):
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None and match.view_name else None


class RequestIdFilter(logging.Filter):
    """Puts the running request's id on every record (None outside a request)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        return True


# The fields a record carries beyond the standard ones, in the order they are written.
EXTRA_FIELDS = ("request_id", "method", "path", "route", "status", "duration_ms", "queries")


class JsonLinesFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, the request's fields, and
    the traceback when there is one."""

    def format(self, record):
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in EXTRA_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The plain format: the request id in brackets when there is one."""

    def format(self, record):
        line = super().format(record)
        request_id = getattr(record, "request_id", None)
        return f"[{request_id}] {line}" if request_id else line
