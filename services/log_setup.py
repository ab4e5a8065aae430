"""The one logging configuration: text for a terminal, JSON lines for a log collector, no secret value written."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Sequence
from typing import TextIO
from urllib.parse import urlsplit

from pydantic import SecretStr
from pythonjsonlogger.json import JsonFormatter

from services.config import AnalysisSettings, Settings

AUDIT_LOGGER = 'logsentry.audit'
HANDLER_NAME = 'logsentry'
MASK = '[hidden]'
TEXT_FORMAT = '%(asctime)s %(levelname)s %(name)s: %(message)s'
JSON_FIELDS = ('asctime', 'levelname', 'name', 'message')
JSON_NAMES = {'asctime': 'time', 'levelname': 'level', 'name': 'logger'}
SHORTEST_MASKED = 4  # masking a shorter value would garble ordinary words and hide nothing worth hiding
CREDENTIAL_FIELDS = ('private_key', 'private_key_id')
# Their INFO lines narrate each request or credential lookup: written at DEBUG only.
CHATTY_LIBRARIES = ('botocore', 'boto3', 'urllib3', 'httpx', 'httpcore')


def configure_logging(settings: AnalysisSettings, stream: TextIO | None = None) -> None:
    """Every logger's lines go to one handler on the root logger; called again, it replaces its own handler only."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(MaskingFormatter(_formatter(settings.log_format), secret_values(settings)))
    root.addHandler(handler)
    level = logging.getLevelName(settings.log_level)
    root.setLevel(level)
    # Audit events are written at INFO: a quieter LOG_LEVEL must not drop them.
    logging.getLogger(AUDIT_LOGGER).setLevel(min(level, logging.INFO))
    for library in CHATTY_LIBRARIES:
        logging.getLogger(library).setLevel(level if level == logging.DEBUG else max(level, logging.WARNING))


def secret_values(settings: AnalysisSettings) -> list[str]:
    """The values of the secret settings, and the passwords inside the service URLs."""
    values: list[str] = []
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            values += [value.get_secret_value(), *_credential_fields(value.get_secret_value())]
    urls = (settings.database_url, settings.redis_url) if isinstance(settings, Settings) else ()
    for url in urls:
        if url and (password := urlsplit(url).password):
            values.append(password)
    return sorted({value for value in values if len(value) >= SHORTEST_MASKED}, key=len, reverse=True)


class MaskingFormatter(logging.Formatter):
    """Masks known secret values in the finished line, so messages, arguments, tracebacks and extra fields alike."""

    def __init__(self, inner: logging.Formatter, secrets: Sequence[str]) -> None:
        super().__init__()
        self._inner = inner
        # A value can show as it is, as its repr (`%r`, a traceback's locals), and either of those escaped in JSON.
        forms = {*secrets, *(repr(secret)[1:-1] for secret in secrets)}
        self._secrets = sorted({*forms, *(json.dumps(form)[1:-1] for form in forms)}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        line = self._inner.format(record)
        for secret in self._secrets:
            line = line.replace(secret, MASK)
        return line


def _formatter(log_format: str) -> logging.Formatter:
    if log_format == 'json':
        return JsonFormatter(JSON_FIELDS, rename_fields=JSON_NAMES)
    return logging.Formatter(TEXT_FORMAT)


def _credential_fields(value: str) -> list[str]:
    # A service account given as JSON: its key could be logged on its own, without the rest of the document.
    try:
        document = json.loads(value)
    except ValueError:
        return []
    if not isinstance(document, dict):
        return []
    return [field for name in CREDENTIAL_FIELDS if isinstance(field := document.get(name), str)]
