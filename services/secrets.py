"""Production secrets: one JSON secret in AWS Secrets Manager, read once at start-up and fed into the settings."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import ValidationError

from services.config import Settings

log = logging.getLogger(__name__)

# The keys the secret may hold, by their environment names, and the setting each one fills.
SECRET_KEYS = {
    'GEMINI_API_KEY': 'gemini_api_key',
    'FIREBASE_CREDENTIALS': 'firebase_credentials',
    'STORAGE_SECRET': 'storage_secret',
    'DATABASE_URL': 'database_url',
}
# Start-up should fail within seconds, not hang, when the endpoint or the instance role is unreachable.
_CLIENT_CONFIG = Config(connect_timeout=5, read_timeout=10, retries={'max_attempts': 3, 'mode': 'standard'})


class SecretsError(Exception):
    """The configured secret cannot be used; the message names the problem, never a value."""


def load_secrets(settings: Settings, *, client: Any = None) -> Settings:
    """Return the settings with the secret's values in place; unchanged when no secret id is configured.

    Values in the secret win over the environment: the secret is the one place production keeps them.
    """
    secret_id = settings.aws_secret_id
    if not secret_id:
        return settings
    if client is None:
        if not settings.aws_region:
            raise SecretsError('AWS_SECRET_ID is set but AWS_REGION is not')
        client = boto3.client('secretsmanager', region_name=settings.aws_region, config=_CLIENT_CONFIG)
    values = _parse(secret_id, _fetch(client, secret_id))
    try:
        loaded = Settings.model_validate(settings.model_dump() | {SECRET_KEYS[key]: v for key, v in values.items()})
    except ValidationError as exc:
        # Name the fields only: pydantic's own message would repeat the offending value.
        fields = ', '.join(sorted({str(error['loc'][0]).upper() for error in exc.errors()}))
        raise SecretsError(f'secret {secret_id}: invalid value for {fields}') from None
    log.info('settings from AWS Secrets Manager secret %s: %s', secret_id, ', '.join(sorted(values)))
    return loaded


def _fetch(client: Any, secret_id: str) -> str:
    try:
        with _botocore_debug_muted():
            response = client.get_secret_value(SecretId=secret_id)
    except ClientError as exc:
        code = exc.response.get('Error', {}).get('Code', 'error')
        if code == 'ResourceNotFoundException':
            raise SecretsError(f'secret {secret_id} not found in AWS Secrets Manager') from None
        if code in {'AccessDeniedException', 'UnrecognizedClientException'}:
            raise SecretsError(f'not allowed to read secret {secret_id} ({code})') from None
        raise SecretsError(f'cannot read secret {secret_id}: {code}') from None
    except BotoCoreError as exc:  # no credentials, endpoint unreachable, timeouts
        raise SecretsError(f'cannot read secret {secret_id}: {exc}') from None
    text = response.get('SecretString')
    if not isinstance(text, str):
        raise SecretsError(f'secret {secret_id} has no text value (a JSON object is expected)')
    return text


@contextmanager
def _botocore_debug_muted() -> Iterator[None]:
    # botocore logs whole response bodies at DEBUG: with debug logging on, that would print the secret.
    logger = logging.getLogger('botocore')
    level = logger.level
    logger.setLevel(max(logging.INFO, logger.getEffectiveLevel()))
    try:
        yield
    finally:
        logger.setLevel(level)


def _parse(secret_id: str, text: str) -> dict[str, str]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        # Position only: the decoder's document would be the secret itself.
        raise SecretsError(f'secret {secret_id} is not valid JSON (line {exc.lineno}, column {exc.colno})') from None
    if not isinstance(document, dict):
        raise SecretsError(f'secret {secret_id} must be a JSON object with keys {_allowed()}')
    unknown = sorted(set(document) - set(SECRET_KEYS))
    if unknown:
        raise SecretsError(f'secret {secret_id} has unknown keys {", ".join(unknown)} (allowed: {_allowed()})')
    values: dict[str, str] = {}
    for key, value in document.items():
        if key == 'FIREBASE_CREDENTIALS' and isinstance(value, dict):
            value = json.dumps(value)  # a service account may be stored as the object itself
        if not isinstance(value, str) or not value.strip():
            raise SecretsError(f'secret {secret_id}: {key} must be a non-empty string')
        values[key] = value
    return values


def _allowed() -> str:
    return ', '.join(SECRET_KEYS)
