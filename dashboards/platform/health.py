"""/healthz, /readyz and /metrics: answered first, for load balancers and Prometheus.

They are answered before every other middleware, so before the host check (a load balancer
probes by address), the HTTPS redirect (probes speak plain HTTP), sessions, CSRF and the log-in
limits; they are left out of the request log (dashboards/platform/request_log.py).
"""

import hmac
import ipaddress
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpResponseForbidden, JsonResponse
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

HEALTH_PATHS = frozenset({"/healthz", "/readyz"})
METRICS_PATH = "/metrics"
REPLICA_ROUTER = "dashboards.platform.routers.ReplicaRouter"

# One worker thread per database: a probe stuck on a database that stopped answering holds that
# thread (until the connect timeout), and the next probes wait for it no longer than the
# readiness timeout — so at most one thread per database is ever stuck.
_probes = {}


def database_aliases():
    """The primary, and the replica when one is configured (DATABASE_REPLICA_URL)."""
    # Imported here: the logging configuration imports this module before the models load.
    from dashboards.platform.routers import REPLICA

    if REPLICA_ROUTER in getattr(settings, "DATABASE_ROUTERS", ()) and REPLICA in connections:
        return ["default", REPLICA]
    return ["default"]


def open_connection(alias):
    return connections.create_connection(alias)


def ping(alias):
    """SELECT 1 on a connection of its own, closed at once: a probe never holds a connection
    (or a transaction) between probes."""
    connection = open_connection(alias)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()


def probe(alias, timeout):
    """'ok', 'error' or 'timeout', and the milliseconds it took."""
    started = time.monotonic()
    executor = _probes.setdefault(
        alias, ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"readyz-{alias}")
    )
    try:
        executor.submit(ping, alias).result(timeout=timeout)
        state = "ok"
    except FutureTimeout:
        state = "timeout"
        logger.warning("readiness: database %r did not answer within %s s", alias, timeout)
    except DatabaseError as error:
        state = "error"
        logger.warning("readiness: database %r failed: %s", alias, error)
    return state, round((time.monotonic() - started) * 1000, 1)


def readiness():
    """The body and status of /readyz.

    The primary must answer. A replica that does not answer makes the host 'degraded' but
    still ready: its reads fall back to the primary (dashboards/platform/routers.py), so taking
    every host out of the load balancer for a replica outage would turn a tolerated fault into a
    full one.
    """
    timeout = settings.READYZ_TIMEOUT
    checks = {}
    for alias in database_aliases():
        state, ms = probe(alias, timeout)
        checks["database" if alias == "default" else alias] = {"status": state, "ms": ms}
    if checks["database"]["status"] != "ok":
        return {"status": "unavailable", "checks": checks}, 503
    if any(check["status"] != "ok" for check in checks.values()):
        return {"status": "degraded", "checks": checks}, 200
    return {"status": "ok", "checks": checks}, 200


def address_allowed(address, allowed):
    try:
        client = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in allowed:
        try:
            if client in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def metrics_allowed(request):
    """From a configured address (METRICS_ALLOWED_IPS), or with METRICS_TOKEN as a Bearer."""
    token = settings.METRICS_TOKEN
    if token:
        scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(
            presented.strip().encode(), token.encode()
        ):
            return True
    return address_allowed(request.META.get("REMOTE_ADDR", ""), settings.METRICS_ALLOWED_IPS)


def metrics(request):
    from django_prometheus.exports import ExportToDjangoView

    if not metrics_allowed(request):
        return HttpResponseForbidden(
            "Metrics are readable from METRICS_ALLOWED_IPS or with METRICS_TOKEN.\n",
            content_type="text/plain; charset=utf-8",
        )
    return ExportToDjangoView(request)


class OperationsMiddleware:
    """Answers /healthz, /readyz (GET, HEAD) and /metrics; first in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path not in HEALTH_PATHS and path != METRICS_PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = JsonResponse({"status": "method not allowed"}, status=405)
            response["Allow"] = "GET, HEAD"
        elif path == "/healthz":
            response = JsonResponse({"status": "ok"})
        elif path == "/readyz":
            body, status = readiness()
            response = JsonResponse(body, status=status)
        else:
            response = metrics(request)
        patch_cache_control(response, private=True, no_store=True)
        response["X-Content-Type-Options"] = "nosniff"
        # Not 'Service Unavailable: /readyz' from django.request at every probe of an outage:
        # probe() has logged the cause once per probe already.
        response._has_been_logged = True
        return response
