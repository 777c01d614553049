"""gunicorn settings for the dashboard (`gunicorn -c deploy/gunicorn.conf.py dashboard.wsgi:server`).

Workers from the CPU count; threads let one worker serve downloads while another request renders a figure. Each
worker loads the data once (dashboard/data.py) and re-reads it when the ETL publishes a new package.
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("CUBA_BIND", "127.0.0.1:8050")
workers = int(os.environ.get("CUBA_WORKERS", max(2, multiprocessing.cpu_count())))
threads = int(os.environ.get("CUBA_THREADS", "4"))
worker_class = "gthread"
timeout = 60  # a cold PNG render (browser start) takes seconds; nothing should take a minute
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (bounded memory over weeks), but rarely: a new worker starts with cold caches, and
# at the ~90 req/s per worker measured under load (bench/RESULTS.md) 2,000 requests was a restart every 20 s.
max_requests = int(os.environ.get("CUBA_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
preload_app = False  # each worker builds its app: Dash keeps per-app state in module globals
accesslog = os.environ.get("CUBA_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
