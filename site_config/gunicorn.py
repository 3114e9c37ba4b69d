"""gunicorn settings for `make serve` (gunicorn -c site_config/gunicorn.py).

Each request is logged once, by the app (dashboards/platform/request_log.py: request id, route,
status, duration, queries; JSON with LOG_FORMAT=json), so gunicorn writes no access log of its own.
/metrics adds up every worker's metrics from PROMETHEUS_MULTIPROC_DIR, which `make serve`
empties at start; a worker that exits is marked dead there.
"""

import os

accesslog = None
errorlog = "-"
graceful_timeout = 10
# Threaded workers: a worker's main thread tells the arbiter it is alive while its threads
# serve, so `timeout` restarts a worker that hangs, never one streaming a long export (a sync
# worker is silent for the whole request, so gunicorn cut any download past `timeout`). The
# threads also keep connections alive between requests.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 60
# gunicorn's largest bounded request line (its default is 4094): the longest schema-valid query
# (a text value at its 300-character limit, every character 12 bytes percent-encoded, and the
# other parameters) is answered by the application, not by gunicorn's HTML 414.
limit_request_line = 8190


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
