"""The one logging configuration: its formats, its level, audit lines, and no secret value in any line."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from services.config import Settings
from services.log_setup import AUDIT_LOGGER, CHATTY_LIBRARIES, HANDLER_NAME, MASK, configure_logging

GEMINI_KEY = 'AIzaSy-test-"gemini"-key-0123456789'
DB_PASSWORD = 's3cret-db-pass'


@pytest.fixture
def output() -> Iterator[io.StringIO]:
    """Where the lines go; afterwards the loggers are as they were, for the tests that follow."""
    loggers = [logging.getLogger(name) for name in ('', AUDIT_LOGGER, *CHATTY_LIBRARIES)]
    levels = [logger.level for logger in loggers]
    yield io.StringIO()
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(handler)
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def lines(stream: io.StringIO) -> list[str]:
    return stream.getvalue().splitlines()


def test_text_lines_name_the_level_and_the_logger(output: io.StringIO) -> None:
    configure_logging(Settings(log_format='text'), output)
    logging.getLogger('logsentry.test').warning('disk %s is full', '/data')
    [line] = lines(output)
    assert line.endswith(' WARNING logsentry.test: disk /data is full')


def test_json_lines_are_one_object_each_with_extra_fields(output: io.StringIO) -> None:
    configure_logging(Settings(log_format='json'), output)
    logging.getLogger(AUDIT_LOGGER).info('sign-in', extra={'event': 'sign_in', 'user_id': 7})
    try:
        raise ValueError('bad line')
    except ValueError:
        logging.getLogger('logsentry.test').exception('parse failed')
    first, second = (json.loads(line) for line in lines(output))
    assert first['level'] == 'INFO'
    assert first['logger'] == AUDIT_LOGGER
    assert (first['message'], first['event'], first['user_id']) == ('sign-in', 'sign_in', 7)
    assert first['time']
    assert second['level'] == 'ERROR'
    assert 'ValueError: bad line' in second['exc_info']


def test_the_level_drops_quieter_lines_but_never_audit_events(output: io.StringIO) -> None:
    configure_logging(Settings(log_level='warning'), output)
    logging.getLogger('logsentry.test').info('routine')
    logging.getLogger('logsentry.test').warning('unusual')
    logging.getLogger(AUDIT_LOGGER).info('account deleted')
    assert [line.split(': ', 1)[1] for line in lines(output)] == ['unusual', 'account deleted']

    configure_logging(Settings(log_level='INFO'), output)
    logging.getLogger('botocore.credentials').info('Found credentials in environment variables.')
    assert len(lines(output)) == 2  # a library's request-by-request narration is for DEBUG

    configure_logging(Settings(log_level='DEBUG'), output)
    logging.getLogger('logsentry.test').debug('details')
    logging.getLogger('botocore.credentials').info('Found credentials in environment variables.')
    assert lines(output)[-2:][0].endswith('details')
    assert lines(output)[-1].endswith('Found credentials in environment variables.')


def test_configuring_again_replaces_the_handler_instead_of_doubling_lines(output: io.StringIO) -> None:
    configure_logging(Settings(), output)
    configure_logging(Settings(), output)
    logging.getLogger('logsentry.test').info('once')
    assert len(lines(output)) == 1


@pytest.mark.parametrize('log_format', ['text', 'json'])
def test_secret_setting_values_never_reach_a_line(output: io.StringIO, log_format: str) -> None:
    credentials = json.dumps({'type': 'service_account', 'private_key': '-----BEGIN PRIVATE KEY-----\nMIIEv'})
    settings = Settings(log_format=log_format, gemini_api_key=GEMINI_KEY, firebase_credentials=credentials,
                        database_url=f'postgresql+psycopg://app:{DB_PASSWORD}@db:5432/logsentry')
    configure_logging(settings, output)
    log = logging.getLogger('logsentry.test')
    log.info('calling Gemini with %s', GEMINI_KEY)
    log.warning('connect failed', extra={'url': settings.database_url})
    log.info('loaded key %r', '-----BEGIN PRIVATE KEY-----\nMIIEv')
    try:
        raise RuntimeError(f'token {GEMINI_KEY} refused')
    except RuntimeError:
        log.exception('diagnosis failed')
    written = output.getvalue()
    assert GEMINI_KEY not in written and json.dumps(GEMINI_KEY)[1:-1] not in written
    assert DB_PASSWORD not in written
    assert 'MIIEv' not in written
    assert f'calling Gemini with {MASK}' in written
    assert f"loaded key '{MASK}'" in written
    assert f'RuntimeError: token {MASK} refused' in written
    if log_format == 'json':  # extra fields are written in JSON only
        assert f'app:{MASK}@db:5432/logsentry' in written
