"""WSGI entry point for production servers: `gunicorn -c deploy/gunicorn.conf.py dashboard.wsgi:server`."""

from __future__ import annotations

from dashboard.app import create_app, warm_up

app = create_app()
warm_up()
server = app.server
