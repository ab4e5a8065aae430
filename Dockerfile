# syntax=docker/dockerfile:1
FROM python:3.11-slim AS builder
WORKDIR /src
COPY pyproject.toml README.md main.py ./
COPY parsers parsers
COPY services services
COPY ui ui
RUN python -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 logsentry
COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
COPY main.py ./
ENV PATH=/opt/venv/bin:$PATH HOST=0.0.0.0 PORT=8080 DATA_DIR=/data PYTHONUNBUFFERED=1
RUN mkdir /data && chown logsentry /data
VOLUME /data
USER logsentry
EXPOSE 8080
CMD ["python", "main.py"]
