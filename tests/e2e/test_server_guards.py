"""What the running server does with what a client sends: forged X-Forwarded-For, bodies past the upload limit,
cookies behind HTTPS, the security headers, its log lines."""

from __future__ import annotations

import json
import re
import select
import socket
import urllib.request
from collections.abc import Iterable, Iterator
from email.message import Message
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.ui.test_api import new_key

from .conftest import AppServer, gemini_env, running_app
from .test_persistence_journeys import analyze

LIMIT_MB = 5
BIG = 40 * 1024 * 1024
CHUNK = 256 * 1024
BOUNDARY = 'logsentry-test-boundary'
LOG_LINE = b'2026-01-01 10:00:00,000 ERROR [db] could not connect to server: Connection refused\n'
CAP_REACHED = 'The free diagnoses for your network are used up for today. Register for unlimited diagnoses.'


def test_a_forged_forwarded_address_from_loopback_is_not_believed(browser: Browser, tmp_path: Path,
                                                                   gemini_process: str) -> None:
    with running_app(tmp_path, gemini_env(gemini_process) | {'GUEST_DAILY_CAP_PER_ADDRESS': '1'}) as server:
        diagnose_as(browser, server, '10.1.2.3', 'the disk is full')
        page = diagnose_as(browser, server, '10.4.5.6', 'the queue is stuck')
        expect(page.get_by_role('alert')).to_have_text(CAP_REACHED)
        expect(page.get_by_role('heading', name='Summary')).to_have_count(0)


def test_a_trusted_proxy_forwards_the_client_address(browser: Browser, tmp_path: Path, gemini_process: str) -> None:
    caps = {'GUEST_DAILY_CAP_PER_ADDRESS': '1', 'TRUSTED_PROXIES': '127.0.0.1'}
    with running_app(tmp_path, gemini_env(gemini_process) | caps) as server:
        diagnose_as(browser, server, '10.1.2.3', 'the disk is full')
        page = diagnose_as(browser, server, '10.4.5.6', 'the queue is stuck')
        expect(page.get_by_role('heading', name='Summary')).to_be_visible()
        page = diagnose_as(browser, server, '10.1.2.3', 'the cache is cold')
        expect(page.get_by_role('alert')).to_have_text(CAP_REACHED)


def diagnose_as(browser: Browser, server: AppServer, forwarded_for: str, problem: str) -> Page:
    """A new guest, sending X-Forwarded-For on every request, analyzes a log and asks the model to diagnose it."""
    page = browser.new_context(extra_http_headers={'X-Forwarded-For': forwarded_for}).new_page()
    analyze(page, server.url, f'2026-01-01 10:00:00 ERROR payment worker crashed: {problem}\n')
    page.get_by_role('button', name='Diagnose with gemini-2.5-flash').click()
    expect(page.get_by_role('heading', name='Summary').or_(page.get_by_text(CAP_REACHED))).to_be_visible()
    return page


@pytest.fixture
def limited(tmp_path: Path) -> Iterator[tuple[AppServer, Path]]:
    """The app with MAX_UPLOAD_MB=5 and its own temporary directory, which must stay empty."""
    temp = tmp_path / 'tmp'
    temp.mkdir()
    with running_app(tmp_path, {'MAX_UPLOAD_MB': str(LIMIT_MB), 'TMPDIR': str(temp)}) as server:
        yield server, temp


def test_an_upload_past_the_limit_is_refused_before_it_is_read(page: Page, limited: tuple[AppServer, Path]) -> None:
    server, temp = limited
    response = page.goto(server.url)
    assert response is not None
    found = re.search(r'/_nicegui/client/[\w-]+/upload/\d+', response.text())
    assert found, 'the analyze page has an upload element'
    upload = found.group()

    declared = send_head(server, upload, {'Content-Type': f'multipart/form-data; boundary={BOUNDARY}',
                                          'Content-Length': str(BIG)})
    assert declared.startswith(b'HTTP/1.1 413'), declared[:100]
    assert f'The log is larger than {LIMIT_MB} MB.'.encode() in declared

    answer, sent = send_chunked(server, upload, f'multipart/form-data; boundary={BOUNDARY}', multipart(BIG))
    assert answer.startswith(b'HTTP/1.1 413'), answer[:100]
    assert sent < 3 * LIMIT_MB * 1024 * 1024, f'{sent} bytes went out before the answer'

    page.goto(f'{server.url}/history')
    expect(page.get_by_text('No analyses yet: analyze a log first.')).to_be_visible()
    assert list(temp.iterdir()) == []
    assert not [path for path in server.data_dir.iterdir() if path.is_dir() and path.name.startswith('tmp')]

    page.goto(server.url)
    page.get_by_label('Log file').locator('input[type=file]').set_input_files(
        files=[{'name': 'small.log', 'mimeType': 'text/plain', 'buffer': LOG_LINE * 50_000}])  # 4.2 MB
    page.wait_for_url(re.compile(r'/analysis/'), timeout=60_000)
    expect(page.get_by_text('small.log', exact=True).first).to_be_visible()


@pytest.mark.parametrize('content_type', [f'multipart/form-data; boundary={BOUNDARY}', 'application/json'])
def test_the_api_refuses_a_chunked_body_past_the_limit_as_it_streams(
        limited: tuple[AppServer, Path], content_type: str) -> None:
    server, temp = limited
    headers = {'Authorization': f'Bearer {new_key("dev@example.com")}'}
    body = multipart(BIG) if content_type.startswith('multipart/') else json_text(BIG)
    answer, sent = send_chunked(server, '/api/v1/analyses', content_type, body, headers)
    assert answer.startswith(b'HTTP/1.1 413'), answer[:100]
    assert sent < 3 * LIMIT_MB * 1024 * 1024, f'{sent} bytes went out before the answer'
    assert list(temp.iterdir()) == []

    small = json.dumps({'text': (LOG_LINE * 1000).decode(), 'file_name': 'small.log'}).encode()
    request = urllib.request.Request(f'{server.url}/api/v1/analyses', data=small, method='POST',  # noqa: S310
                                     headers={**headers, 'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own http URL
        assert response.status == 201
        assert json.load(response)['file_name'] == 'small.log'


def test_pages_and_answers_carry_the_security_headers(tmp_path: Path) -> None:
    with running_app(tmp_path) as server:
        page_headers, page_body = get(f'{server.url}/')
        json_headers, _ = get(f'{server.url}/healthz')
    for headers in (page_headers, json_headers):
        assert headers['X-Frame-Options'] == 'DENY'
        assert headers['X-Content-Type-Options'] == 'nosniff'
        assert headers['Referrer-Policy'] == 'same-origin'
        assert "frame-ancestors 'none'" in headers['Content-Security-Policy']
    policy = page_headers['Content-Security-Policy']
    nonce = re.search(r"script-src 'self' 'nonce-([\w-]+)' 'unsafe-eval';", policy)
    assert nonce, policy
    scripts = re.findall(r'<script[^>]*>', page_body)
    assert scripts and all(f'nonce="{nonce.group(1)}"' in tag for tag in scripts), scripts
    assert json_headers['Content-Security-Policy'] == "default-src 'none'; frame-ancestors 'none'"
    assert 'Secure' not in page_headers['Set-Cookie']  # plain HTTP by default: a Secure cookie would be dropped


def test_the_session_cookie_is_secure_when_served_over_https(tmp_path: Path) -> None:
    with running_app(tmp_path, {'SECURE_COOKIES': 'true'}) as server:
        headers, _ = get(f'{server.url}/')
    assert re.search(r'; secure\b', headers['Set-Cookie'], re.IGNORECASE), headers['Set-Cookie']


def test_the_server_and_uvicorn_log_json_lines(tmp_path: Path) -> None:
    with running_app(tmp_path, {'LOG_FORMAT': 'json'}) as server:
        pass
    lines = [json.loads(line) for line in server.log().splitlines() if line.startswith('{')]
    assert lines and all({'time', 'level', 'logger', 'message'} <= line.keys() for line in lines)
    assert 'Application startup complete.' in [line['message'] for line in lines if line['logger'] == 'uvicorn.error']


def send_head(server: AppServer, path: str, headers: dict[str, str]) -> bytes:
    """Send a POST's head only, announcing a body it never sends; return the server's answer."""
    with connect(server) as sock:
        sock.sendall(request_head(server, path, headers))
        return read_answer(sock)


def send_chunked(server: AppServer, path: str, content_type: str, chunks: Iterable[bytes],
                 headers: dict[str, str] | None = None) -> tuple[bytes, int]:
    """Stream a chunked POST until the server answers; return its answer and how many body bytes went out."""
    head = request_head(server, path, {**(headers or {}), 'Content-Type': content_type,
                                       'Transfer-Encoding': 'chunked'})
    sent = 0
    with connect(server) as sock:
        sock.sendall(head)
        for chunk in chunks:
            if select.select([sock], [], [], 0)[0]:
                break  # the server has answered (or closed) while the body was still coming
            try:
                sock.sendall(b'%x\r\n%s\r\n' % (len(chunk), chunk))
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        else:
            sock.sendall(b'0\r\n\r\n')
        return read_answer(sock), sent


def connect(server: AppServer) -> socket.socket:
    address = urlsplit(server.url)
    sock = socket.create_connection((address.hostname, address.port), timeout=30)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 64 * 1024)  # the kernel holds little of what is sent
    return sock


def request_head(server: AppServer, path: str, headers: dict[str, str]) -> bytes:
    lines = [f'POST {path} HTTP/1.1', f'Host: {urlsplit(server.url).netloc}', 'Connection: close',
             *(f'{name}: {value}' for name, value in headers.items())]
    return ('\r\n'.join(lines) + '\r\n\r\n').encode()


def read_answer(sock: socket.socket) -> bytes:
    answer = b''
    try:
        while data := sock.recv(65536):
            answer += data
    except ConnectionResetError:
        pass  # the server closes a connection whose body it did not read: its answer came first
    return answer


def multipart(size: int) -> Iterator[bytes]:
    yield (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.log"\r\n'
           'Content-Type: text/plain\r\n\r\n').encode()
    block = LOG_LINE * (CHUNK // len(LOG_LINE))
    for _ in range(size // len(block)):
        yield block
    yield f'\r\n--{BOUNDARY}--\r\n'.encode()


def json_text(size: int) -> Iterator[bytes]:
    yield b'{"text": "'
    block = LOG_LINE.rstrip() + b'\\n'
    block *= CHUNK // len(block)
    for _ in range(size // len(block)):
        yield block
    yield b'"}'


def get(url: str) -> tuple[Message, str]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own http URL
        return response.headers, response.read().decode()
