"""WSGI entry point for production servers: `gunicorn -c deploy/gunicorn.conf.py dashboard.wsgi:server`.

Production needs $CUBA_SITE_URL (the public address links are built from): without it this module raises at import
and the server does not start."""

from __future__ import annotations

from dashboard import settings
from dashboard.app import create_app, warm_up

app = create_app(site_url=settings.required_site_url())
warm_up()
server = app.server
