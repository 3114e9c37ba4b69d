"""gunicorn settings for `make serve` (gunicorn -c site_config/gunicorn.py).

Each request is logged once, by the app (dashboards/request_log.py: request id, route, status,
duration, queries; JSON with LOG_FORMAT=json), so gunicorn writes no access log of its own.
/metrics adds up every worker's metrics from PROMETHEUS_MULTIPROC_DIR, which `make serve`
empties at start; a worker that exits is marked dead there.
"""

import os

accesslog = None
errorlog = "-"
graceful_timeout = 10
timeout = 60


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
