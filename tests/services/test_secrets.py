"""Secrets Manager loading through boto3 against moto's real HTTP server."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from services.config import Settings
from services.secrets import SecretsError, load_secrets

MAIN = Path(__file__).parents[2] / 'main.py'
REGION = 'eu-central-1'
FAKE_CREDENTIALS = {'AWS_ACCESS_KEY_ID': 'testing', 'AWS_SECRET_ACCESS_KEY': 'testing'}
SERVICE_ACCOUNT = {'type': 'service_account', 'project_id': 'demo-test', 'private_key': 'pem-value-7'}


@pytest.fixture(scope='module')
def moto_url() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address='127.0.0.1', port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f'http://{host}:{port}'
    server.stop()


@pytest.fixture
def aws(moto_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point boto3's default endpoint and credentials at moto, as the instance role would in production."""
    for name, value in FAKE_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv('AWS_ENDPOINT_URL', moto_url)
    monkeypatch.setenv('AWS_REGION', REGION)
    return moto_url


@pytest.fixture
def client(aws: str) -> Any:
    return boto3.client('secretsmanager', region_name=REGION, endpoint_url=aws)


@pytest.fixture
def secret_id(request: pytest.FixtureRequest) -> str:
    return f'logsentry/{request.node.name}'


def test_no_secret_id_leaves_the_settings_alone() -> None:
    settings = Settings()
    assert load_secrets(settings) is settings


def test_the_secret_fills_every_secret_setting(
    client: Any, secret_id: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    values = {
        'GEMINI_API_KEY': 'gemini-value-1',
        'FIREBASE_CREDENTIALS': json.dumps(SERVICE_ACCOUNT),
        'STORAGE_SECRET': 'storage-value-3',
        'DATABASE_URL': 'postgresql+psycopg://app:db-value-4@db.internal/logsentry',
    }
    client.create_secret(Name=secret_id, SecretString=json.dumps(values))
    monkeypatch.setenv('AWS_SECRET_ID', secret_id)
    monkeypatch.setenv('GEMINI_MODEL', 'gemini-test-model')
    caplog.set_level(logging.DEBUG)

    settings = load_secrets(Settings())  # boto3's own client, built from the region setting

    assert settings.gemini_api_key is not None and settings.gemini_api_key.get_secret_value() == 'gemini-value-1'
    assert settings.firebase_credentials is not None
    assert json.loads(settings.firebase_credentials.get_secret_value()) == SERVICE_ACCOUNT
    assert settings.storage_secret is not None and settings.storage_secret.get_secret_value() == 'storage-value-3'
    assert settings.database_url == values['DATABASE_URL']
    assert settings.gemini_model == 'gemini-test-model'  # everything else still comes from the environment
    assert 'DATABASE_URL, FIREBASE_CREDENTIALS, GEMINI_API_KEY, STORAGE_SECRET' in caplog.text
    for value in (*values.values(), 'pem-value-7', 'db-value-4'):
        assert value not in caplog.text


def test_secret_values_win_over_the_environment(client: Any, secret_id: str, monkeypatch: pytest.MonkeyPatch) -> None:
    client.create_secret(Name=secret_id, SecretString=json.dumps({'GEMINI_API_KEY': 'from-the-secret'}))
    monkeypatch.setenv('GEMINI_API_KEY', 'from-the-environment')
    settings = load_secrets(Settings(aws_secret_id=secret_id), client=client)
    assert settings.gemini_api_key is not None and settings.gemini_api_key.get_secret_value() == 'from-the-secret'


def test_a_service_account_may_be_stored_as_an_object(client: Any, secret_id: str) -> None:
    client.create_secret(Name=secret_id, SecretString=json.dumps({'FIREBASE_CREDENTIALS': SERVICE_ACCOUNT}))
    settings = load_secrets(Settings(aws_secret_id=secret_id), client=client)
    assert settings.firebase_credentials is not None
    assert json.loads(settings.firebase_credentials.get_secret_value()) == SERVICE_ACCOUNT


def test_a_missing_secret_is_a_clear_error(client: Any) -> None:
    with pytest.raises(SecretsError, match=r'^secret logsentry/absent not found in AWS Secrets Manager$'):
        load_secrets(Settings(aws_secret_id='logsentry/absent'), client=client)


@pytest.mark.parametrize(
    ('secret_text', 'message'),
    [
        ('{"GEMINI_API_KEY": "leaked-value-9"', 'is not valid JSON (line 1, column 36)'),
        ('["leaked-value-9"]', 'must be a JSON object with keys GEMINI_API_KEY, FIREBASE_CREDENTIALS'),
        ('{"GEMINI_KEY": "leaked-value-9"}', 'has unknown keys GEMINI_KEY (allowed: GEMINI_API_KEY'),
        ('{"STORAGE_SECRET": ""}', 'STORAGE_SECRET must be a non-empty string'),
        ('{"DATABASE_URL": 12345}', 'DATABASE_URL must be a non-empty string'),
    ],
    ids=['not-json', 'not-an-object', 'unknown-key', 'empty-value', 'not-a-string'],
)
def test_a_malformed_secret_is_a_clear_error_without_its_values(
    client: Any, secret_id: str, secret_text: str, message: str
) -> None:
    client.create_secret(Name=secret_id, SecretString=secret_text)
    with pytest.raises(SecretsError, match=re.escape(message)) as raised:
        load_secrets(Settings(aws_secret_id=secret_id), client=client)
    assert 'leaked-value-9' not in str(raised.value)
    assert '12345' not in str(raised.value)


def test_a_binary_secret_is_refused(client: Any, secret_id: str) -> None:
    client.create_secret(Name=secret_id, SecretBinary=b'\x00\x01')
    with pytest.raises(SecretsError, match='has no text value'):
        load_secrets(Settings(aws_secret_id=secret_id), client=client)


def test_a_secret_id_needs_a_region() -> None:
    with pytest.raises(SecretsError, match=r'^AWS_SECRET_ID is set but AWS_REGION is not$'):
        load_secrets(Settings(aws_secret_id='logsentry/app', aws_region=None))


def test_the_server_refuses_to_start_without_its_secret(aws: str, tmp_path: Path) -> None:
    env = {
        'PATH': os.environ.get('PATH', ''), **FAKE_CREDENTIALS, 'AWS_ENDPOINT_URL': aws, 'AWS_REGION': REGION,
        'AWS_SECRET_ID': 'logsentry/never-created', 'DATA_DIR': str(tmp_path / 'data'),
    }
    result = subprocess.run([sys.executable, str(MAIN)], env=env, cwd=tmp_path, capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == 'error: secret logsentry/never-created not found in AWS Secrets Manager'
    assert not (tmp_path / 'data').exists()  # failed before touching anything
