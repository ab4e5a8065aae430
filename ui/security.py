"""What every request may send and every response carries: a body limit, security headers, trusted proxies.

The Content-Security-Policy of a page allows:
- scripts from this site and the page's own inline scripts, each marked with a nonce new for every response:
  NiceGUI writes the page's elements and its start-up code into inline scripts (and an inline import map);
  an injected `<script>` or an `onerror=` attribute carries no nonce and does not run;
- `'unsafe-eval'`: Vue compiles NiceGUI's component templates in the browser, with `new Function`;
- inline styles: Quasar and Vue set `style` attributes and NiceGUI adds `<style>` elements at run time;
- images from this site, `data:` and `blob:` URLs (Quasar's icons, ECharts' exports); nothing else from elsewhere.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from fastapi import HTTPException, status
from fastapi.responses import JSONResponse
from nicegui import app
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.config import Settings

MULTIPART_OVERHEAD = 64 * 1024  # room for the multipart headers around a file of the largest allowed size
PAGE_POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
OTHER_POLICY = "default-src 'none'; frame-ancestors 'none'"  # JSON, scripts, images: nothing to run or embed
HEADERS = {
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    # Share links carry their token in the path: never hand it to another site.
    'Referrer-Policy': 'same-origin',
}
SCRIPT_TAG = re.compile(rb'<script(?=[\s>])')


def install(settings: Settings) -> None:
    app.add_middleware(BodyLimit, limit=settings.max_upload_bytes + MULTIPART_OVERHEAD,
                       message=f'The log is larger than {settings.max_upload_mb} MB.')
    app.add_middleware(SecurityHeaders)  # added last, so it wraps the body limit's answers too


def server_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's and the session cookie's options that follow from the settings."""
    trusted = settings.trusted_proxies.strip()
    return {
        # uvicorn believes X-Forwarded-For and -Proto from 127.0.0.1 unless told otherwise; the client address it
        # settles on is the one the app counts (quota, login throttling).
        'proxy_headers': bool(trusted),
        'forwarded_allow_ips': trusted,
        'session_middleware_kwargs': {'https_only': settings.secure_cookies},
    }


class BodyLimit:
    """Refuses a request body past the limit while it streams: a declared Content-Length before the app runs, a
    chunked body at the first chunk past the limit, before any route (NiceGUI's upload too) has spooled it whole.

    FastAPI's own `max_body_size` does the same but answers a bare `Content Too Large`, naming no limit.
    """

    def __init__(self, app: ASGIApp, *, limit: int, message: str) -> None:
        self.app, self.limit, self.message = app, limit, message

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get('content-length', '')
        if declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message['type'] == 'http.request':
                received += len(message.get('body', b''))
                if received > self.limit:
                    raise BodyTooLarge(self.message)
            return message

        noted = ResponseWatch(send)
        try:
            await self.app(scope, counted, noted)
        except* BodyTooLarge:  # a group when it passes a BaseHTTPMiddleware's task group on its way out
            if noted.started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        await JSONResponse({'detail': self.message}, status.HTTP_413_CONTENT_TOO_LARGE)(scope, receive, send)


class ResponseWatch:
    """Passes a response's messages on and notes whether it has begun: an error raised after that cannot be answered
    with a response of its own."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False

    async def __call__(self, message: Message) -> None:
        self.started = self.started or message['type'] == 'http.response.start'
        await self.send(message)


class BodyTooLarge(HTTPException):
    """An HTTPException, so that FastAPI's body parsing lets it through and its handler answers 413 too."""

    def __init__(self, message: str) -> None:
        super().__init__(status.HTTP_413_CONTENT_TOO_LARGE, message)


class SecurityHeaders:
    """Adds the security headers to every response; pages get their scripts' nonce and the policy naming it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(18)
        held: Message | None = None
        body = bytearray()

        async def send_secured(message: Message) -> None:
            nonlocal held
            if message['type'] == 'http.response.start':
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                page = _is_page(headers) and scope['method'] != 'HEAD'
                headers['Content-Security-Policy'] = PAGE_POLICY.format(nonce=nonce) if page else OTHER_POLICY
                if page:
                    held = message  # its Content-Length changes once the nonce is in
                    return
            elif message['type'] == 'http.response.body' and held is not None:
                body.extend(message.get('body', b''))
                if message.get('more_body', False):
                    return
                page_body = SCRIPT_TAG.sub(b'<script nonce="' + nonce.encode() + b'"', bytes(body))
                MutableHeaders(scope=held)['Content-Length'] = str(len(page_body))
                await send(held)
                message = {'type': 'http.response.body', 'body': page_body}
            await send(message)

        await self.app(scope, receive, send_secured)


def _is_page(headers: MutableHeaders) -> bool:
    # This middleware sits inside NiceGUI's gzip middleware, so a page's body is still plain HTML here.
    return headers.get('content-type', '').startswith('text/html') and 'content-encoding' not in headers
