"""The chrome every page shares: header, navigation, theme, footer and the content column."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from nicegui import app, ui

from ui.session import account_menu

NAV_LINKS = (('Analyze', '/'), ('History', '/history'), ('FAQ', '/faq'))
FOOTER_LINKS = (('FAQ', '/faq'), ('Privacy', '/privacy'), ('Terms', '/terms'))
DARK_MODE_KEY = 'dark_mode'
# Answers are Markdown: headings sized for a panel, and code blocks that scroll instead of widening the page.
ANSWER_CSS = """
.diagnosis { overflow-wrap: anywhere; min-width: 0; }
.diagnosis h1, .diagnosis h2 { font-size: 1.25rem; line-height: 1.75rem; font-weight: 600; margin: 1rem 0 .25rem; }
.diagnosis h3 { font-size: 1.05rem; font-weight: 600; margin: .75rem 0 .25rem; }
.diagnosis pre { overflow-x: auto; max-width: 100%; white-space: pre; font-size: .8rem; padding: .5rem;
                 border-radius: .25rem; background: rgba(127, 127, 127, .12); }
"""
PRIMARY = '#3b5bdb'


@contextmanager
def frame(title: str) -> Iterator[ui.column]:
    ui.page_title(f'{title} · LogSentry')
    ui.colors(primary=PRIMARY)
    ui.add_css(ANSWER_CSS)
    dark = ui.dark_mode(app.storage.user.get(DARK_MODE_KEY, False))
    with ui.header().classes('items-center justify-between px-4 py-2 bg-primary gap-2'):
        with ui.link(target='/').classes('flex items-center gap-2 text-white no-underline'):
            ui.icon('troubleshoot', size='sm').props('aria-hidden=true')
            ui.label('LogSentry').classes('text-xl font-bold')
        with ui.row().classes('items-center gap-1 no-wrap'):
            with ui.row().classes('gap-1 max-sm:hidden').props('role=navigation aria-label="Main"'):
                for label, target in NAV_LINKS:
                    ui.link(label, target).classes('text-white no-underline px-3 py-1 rounded hover:bg-white/10')
            menu_button = ui.button(icon='menu').props('flat round color=white aria-label="Open menu"')
            with menu_button.classes('sm:hidden'), ui.menu():
                for label, target in NAV_LINKS:
                    ui.menu_item(label, on_click=lambda target=target: ui.navigate.to(target))
            account_menu()
            theme_button = ui.button(on_click=lambda: toggle_theme()).props('flat round color=white')
            theme_button.mark('theme-toggle')
    with ui.column().classes('w-full max-w-6xl mx-auto p-4 max-sm:p-2 gap-4') as content:
        yield content
    with ui.row().classes('w-full max-w-6xl mx-auto px-4 py-6 gap-4 text-sm text-gray-500 justify-center'):
        for label, target in FOOTER_LINKS:
            ui.link(label, target).classes('text-gray-500')

    def show_theme_button() -> None:
        theme_button.props(f'icon={"light_mode" if dark.value else "dark_mode"}')
        theme_button.props(f'aria-label="Switch to {"light" if dark.value else "dark"} theme"')

    def toggle_theme() -> None:
        dark.value = not dark.value
        app.storage.user[DARK_MODE_KEY] = dark.value
        show_theme_button()

    show_theme_button()
