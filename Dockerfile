# syntax=docker/dockerfile:1
# LogSentry's production image: dependencies are built in a builder stage; the runtime stage holds only the
# virtualenv and main.py, runs as an unprivileged user and is configured through the environment alone.
# The same image runs the analysis workers: `python main.py worker` (with REDIS_URL, and --no-healthcheck, as the
# health check below asks the web server).

# python:3.11-slim, pinned by the digest of its multi-platform index (amd64 and arm64) so that a rebuild starts from
# the same bytes; `docker buildx imagetools inspect python:3.11-slim` shows the tag's current digest.
FROM python:3.11-slim@sha256:9c900dea9e8fb7e16277c179b555cc72d29a352dbc33cff48ad5a0412fd5bfc7 AS base

FROM base AS builder
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/venv
# Exactly the locked versions, each file checked against its hash; this layer changes only with the lock.
COPY requirements.lock ./
RUN /opt/venv/bin/pip install --no-cache-dir --require-hashes -r requirements.lock
# .dockerignore lets in only what the package needs.
COPY . .
# The package itself, built with the locked setuptools. The runtime installs nothing, so the installers leave with the
# builder.
RUN /opt/venv/bin/pip install --no-cache-dir --no-deps --no-build-isolation . \
    && /opt/venv/bin/pip uninstall --yes pip setuptools wheel

FROM base AS runtime
RUN groupadd --system --gid 10001 logsentry \
    && useradd --system --uid 10001 --gid logsentry --no-create-home --home-dir /data --shell /usr/sbin/nologin logsentry \
    && mkdir /data \
    && chown logsentry:logsentry /data
COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
COPY main.py ./
# NiceGUI keeps its session storage beside the app's data, the one writable place. Log lines are JSON objects, one
# a line, as CloudWatch Logs parses them.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data \
    NICEGUI_STORAGE_PATH=/data/nicegui \
    LOG_FORMAT=json
VOLUME ["/data"]
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ['PORT'] + '/healthz', timeout=4)"]
CMD ["python", "main.py"]
