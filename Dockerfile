# The dashboard under gunicorn (deploy/gunicorn.conf.py), with Debian's Chromium for PNG/SVG downloads and share
# images. See docs/DEPLOY.md.
#
#   docker build -t cuba-energy .
#   docker run -d -p 127.0.0.1:8050:8050 -e CUBA_SITE_URL=https://energy.example.org --name cuba-energy cuba-energy
#
# CUBA_SITE_URL (the public address; links are built from it, never from a request's Host) is required: without it
# gunicorn does not start. Inside the container gunicorn listens on 0.0.0.0:8050 (the container's own network);
# publish it on the host's loopback only (-p 127.0.0.1:…) and put the reverse proxy of docs/DEPLOY.md in front.
#
# The image carries the data/ published in this repository. To serve data refreshed nightly, mount a volume on
# /app/data (and /app/.cache for the run state the Data page shows) and run the refresh in a second container from
# the same image:
#   docker run --rm -v …:/app/data -v …:/app/.cache -e CUBA_SITE_URL=https://energy.example.org cuba-energy python -m etl refresh --quiet
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Chromium renders PNG/SVG through kaleido; DejaVu gives the images legible text. Nothing else from apt.
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# A non-root user with a home (gunicorn keeps its control socket in ~/.gunicorn; Chromium its profile in ~).
RUN useradd --create-home --home-dir /home/app --uid 10001 --user-group --shell /usr/sbin/nologin app

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

# Code and seeds/ owned by root (the server cannot change them); data/ and .cache/ owned by `app`, so that a
# refresh container (same image, same user) can write them when they are volumes (see docs/DEPLOY.md).
COPY . .
RUN mkdir -p /app/.cache && chown -R app:app /app/data /app/.cache

USER app
ENV CUBA_BIND=0.0.0.0:8050 \
    CUBA_DATA_DIR=/app/data \
    CUBA_CACHE_DIR=/app/.cache \
    BROWSER_PATH=/usr/bin/chromium
EXPOSE 8050

# /healthz answers 200 while a good data version serves ("degraded" when data/ failed its checks), 503 when none can.
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; port = os.environ.get('CUBA_BIND', ':8050').rsplit(':', 1)[1]; sys.exit(0 if urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4).status == 200 else 1)"]

CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "dashboard.wsgi:server"]
