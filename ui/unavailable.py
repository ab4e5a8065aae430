"""Requests that need Redis while it cannot be reached: a 503 that says so, instead of a traceback and a bare 500."""

from __future__ import annotations

import html
import logging

from fastapi import status
from fastapi.responses import HTMLResponse, JSONResponse
from nicegui import app
from starlette.types import ASGIApp, Receive, Scope, Send

from services.redis_unavailable import RedisUnavailable
from ui.security import ResponseWatch

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 60


def install() -> None:
    app.add_middleware(ServiceUnavailable)


def log_unreachable(exc: RedisUnavailable) -> None:
    log.warning('%s (%s)', exc, exc.reason)


class ServiceUnavailable:
    """Answers 503 with the reason, as JSON for the API and as a short page otherwise, when a request (a page's sign-in
    check, the API queueing a log) finds Redis unreachable before its response has begun."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return
        noted = ResponseWatch(send)
        try:
            await self.app(scope, receive, noted)
        except* RedisUnavailable as group:  # a group when it passes a BaseHTTPMiddleware's task group on its way out
            if noted.started:
                raise
            exc = group.exceptions[0]
            assert isinstance(exc, RedisUnavailable)
            log_unreachable(exc)
            headers = {'Retry-After': str(RETRY_AFTER_SECONDS)}
            if str(scope.get('path', '')).startswith('/api/'):
                response: JSONResponse | HTMLResponse = JSONResponse(
                    {'detail': str(exc)}, status.HTTP_503_SERVICE_UNAVAILABLE, headers=headers)
            else:
                response = HTMLResponse(_page(str(exc)), status.HTTP_503_SERVICE_UNAVAILABLE, headers=headers)
            await response(scope, receive, send)


def _page(message: str) -> str:
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>LogSentry is unavailable</title></head>'
            f'<body><main><h1>LogSentry is unavailable</h1><p>{html.escape(message)}</p></main></body></html>')
