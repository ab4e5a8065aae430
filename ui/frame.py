"""The chrome every page shares: header, navigation, and the content column."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from nicegui import ui

NAV_LINKS = (('Analyze', '/'),)


@contextmanager
def frame(title: str) -> Iterator[ui.column]:
    ui.page_title(f'{title} · LogSentry')
    ui.colors(primary='#3b5bdb')
    with ui.header().classes('items-center justify-between px-4 py-2 bg-primary'):
        home = ui.link('LogSentry', '/').classes('text-xl font-bold text-white no-underline')
        home.props('aria-label="LogSentry home"')
        with ui.row().classes('items-center gap-4'):
            for label, target in NAV_LINKS:
                ui.link(label, target).classes('text-white')
    with ui.column().classes('w-full max-w-5xl mx-auto p-4 gap-4') as content:
        yield content
