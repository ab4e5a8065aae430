"""A Gemini-protocol server for the tests: the real google-genai client talks to it over HTTP.

It records every request, and answers from a script of replies: in chunks, slowly, with an HTTP error, with
garbage, or with the finish reason, block reason and token counts the real service reports. In a test, use
`GeminiServer` (a thread); for browser tests run it as a process, `python -m tests.gemini_server --port N`, and
steer it over HTTP: `POST /_control/replies` queues replies (a JSON list of `Reply` fields),
`GET /_control/requests` lists what it received, `POST /_control/reset` clears both.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_MODEL_CALL = re.compile(r'^/v\d+\w*/models/(?P<model>[^/:]+):(?P<method>streamGenerateContent|generateContent)')
DEFAULT_ANSWER = (
    '## Summary\nThe service failed because its dependency refused connections.',
    '\n\n## Root cause\nThe first error in time shows the connection being refused.',
    '\n\n## Evidence\n- line 4: the first refusal\n\n## Fix\nStart the dependency and check its port.',
    '\n\n## Prevention\nAdd a readiness check before start-up.',
)


@dataclass
class Reply:
    """One scripted answer. `status` other than 200 answers with a Google-style error body."""

    chunks: list[str] = field(default_factory=lambda: list(DEFAULT_ANSWER))
    status: int = 200
    delay: float = 0.0  # seconds before the first byte
    chunk_delay: float = 0.0  # seconds between chunks
    raw: str | None = None  # sent as the body instead of a well-formed answer
    prompt_tokens: int = 1200
    answer_tokens: int = 300
    thinking_tokens: int = 0
    finish_reason: str | None = 'STOP'  # on the last chunk; None sends none, as a stream cut short does
    block_reason: str | None = None  # the prompt was blocked: one chunk with promptFeedback and no candidates


@dataclass
class Recorded:
    path: str
    model: str
    method: str
    headers: dict[str, str]
    body: str

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class GeminiServer:
    """The server in a background thread; `url` goes into google-genai's `http_options.base_url`."""

    def __init__(self, host: str = '127.0.0.1', port: int = 0, chunk_delay: float = 0.0) -> None:
        self.chunk_delay = chunk_delay  # of the default answer, given when no reply is scripted
        self.replies: deque[Reply] = deque()
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer((host, port), _handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f'http://{host}:{port}'

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self.replies.extend(replies)

    def sent_text(self) -> str:
        """Everything clients sent, as one text: what a test searches for leaked secrets."""
        with self._lock:
            return '\n'.join(f'{request.path}\n{request.headers}\n{request.body}' for request in self.requests)

    def start(self) -> GeminiServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> GeminiServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def _next_reply(self) -> Reply:
        with self._lock:
            return self.replies.popleft() if self.replies else Reply(chunk_delay=self.chunk_delay)

    def _record(self, request: Recorded) -> None:
        with self._lock:
            self.requests.append(request)

    def _reset(self) -> None:
        with self._lock:
            self.replies.clear()
            self.requests.clear()


def _handler(server: GeminiServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'

        def do_GET(self) -> None:
            if self.path == '/_control/requests':
                with server._lock:
                    self._json(200, [asdict(request) for request in server.requests])
            else:
                self._json(404, {'error': {'code': 404, 'message': 'not found', 'status': 'NOT_FOUND'}})

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get('Content-Length') or 0)).decode('utf-8', 'replace')
            if self.path == '/_control/replies':
                server.script(*(Reply(**fields) for fields in json.loads(body)))
                self._json(200, {'queued': len(server.replies)})
                return
            if self.path == '/_control/reset':
                server._reset()
                self._json(200, {})
                return
            call = _MODEL_CALL.match(self.path)
            if call is None:
                self._json(404, {'error': {'code': 404, 'message': f'no route {self.path}', 'status': 'NOT_FOUND'}})
                return
            server._record(Recorded(self.path, call['model'], call['method'], dict(self.headers.items()), body))
            reply = server._next_reply()
            time.sleep(reply.delay)
            if reply.status != 200:
                self._json(reply.status, {'error': {
                    'code': reply.status, 'message': f'scripted failure {reply.status}', 'status': _STATUS.get(
                        reply.status, 'INTERNAL'),
                }})
            elif call['method'] == 'streamGenerateContent':
                self._stream(reply)
            else:
                self._json(200, _answer(''.join(reply.chunks), reply, final=True))

        def _stream(self, reply: Reply) -> None:
            self.send_response(200)
            self.send_header('Content-Type', 'text/event-stream')
            self.send_header('Connection', 'close')
            self.end_headers()
            if reply.raw is not None:
                self.wfile.write(reply.raw.encode())
                self.wfile.flush()
                self.close_connection = True
                return
            chunks = reply.chunks if reply.block_reason is None else ['']  # a blocked prompt gets one chunk
            for index, chunk in enumerate(chunks):
                if index:
                    time.sleep(reply.chunk_delay)
                payload = _answer(chunk, reply, final=index == len(chunks) - 1)
                self.wfile.write(f'data: {json.dumps(payload)}\r\n\r\n'.encode())
                self.wfile.flush()
            self.close_connection = True

        def _json(self, status: int, payload: Any) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet test output

    return Handler


_STATUS = {429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE', 400: 'INVALID_ARGUMENT'}


def _answer(text: str, reply: Reply, *, final: bool) -> dict[str, Any]:
    usage = {
        'promptTokenCount': reply.prompt_tokens, 'candidatesTokenCount': reply.answer_tokens,
        'totalTokenCount': reply.prompt_tokens + reply.answer_tokens + reply.thinking_tokens,
    }
    if reply.thinking_tokens:
        usage['thoughtsTokenCount'] = reply.thinking_tokens
    if reply.block_reason is not None:
        return {'promptFeedback': {'blockReason': reply.block_reason}, 'usageMetadata': usage,
                'modelVersion': 'test-model'}
    candidate: dict[str, Any] = {'content': {'role': 'model', 'parts': [{'text': text}]}, 'index': 0}
    answer: dict[str, Any] = {'candidates': [candidate], 'modelVersion': 'test-model'}
    if final:
        if reply.finish_reason is not None:
            candidate['finishReason'] = reply.finish_reason
        answer['usageMetadata'] = usage
    return answer


def main() -> None:
    parser = argparse.ArgumentParser(description='Serve the Gemini protocol for tests.')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--chunk-delay', type=float, default=0.2, help='seconds between chunks of the default answer')
    args = parser.parse_args()
    server = GeminiServer(args.host, args.port, args.chunk_delay)
    print(f'listening on {server.url}', flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server._httpd.serve_forever()


if __name__ == '__main__':
    main()
