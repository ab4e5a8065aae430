"""The chrome every page shares: header, navigation, theme, footer and the content column."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from nicegui import app, ui

from ui.session import account_menu

NAV_LINKS = (('Analyze', '/'), ('History', '/history'), ('FAQ', '/faq'))
FOOTER_LINKS = (('FAQ', '/faq'), ('Privacy', '/privacy'), ('Terms', '/terms'))
DARK_MODE_KEY = 'dark_mode'
THEME_KEY = 'theme'  # the page's dark-mode element, for parts that follow the theme themselves (charts)
# Answers are Markdown: headings sized for a panel, and code blocks that scroll instead of widening the page.
ANSWER_CSS = """
.diagnosis { overflow-wrap: anywhere; min-width: 0; }
.diagnosis h1, .diagnosis h2 { font-size: 1.25rem; line-height: 1.75rem; font-weight: 600; margin: 1rem 0 .25rem; }
.diagnosis h3 { font-size: 1.05rem; font-weight: 600; margin: .75rem 0 .25rem; }
.diagnosis pre { overflow-x: auto; max-width: 100%; white-space: pre; font-size: .8rem; padding: .5rem;
                 border-radius: .25rem; background: rgba(127, 127, 127, .12); }
"""
# Contrast (WCAG AA) in both themes. Tailwind's greys and Quasar's brand colours are picked for a light page: on the
# dark one they are replaced by lighter shades (at least 4.5:1 on the page and on cards). A focus ring that shows on
# every control, light or dark and on the blue header, where Quasar only tints a focused button faintly.
# In NiceGUI's `overrides` layer, whose !important rules beat Quasar's own.
THEME_CSS = """
@layer overrides {
  a.nicegui-link { color: var(--q-primary); }
  .body--dark a.nicegui-link, .body--dark .text-primary { color: #91a7ff !important; }
  .body--dark .text-gray-500, .body--dark .text-gray-600 { color: #a5adba !important; }
  .body--dark .text-negative { color: #ff8787 !important; }
  .body--dark .text-positive { color: #69db7c !important; }
  :root { --focus-ring: #1e3a8a; }
  .body--dark { --focus-ring: #91a7ff; }
  .q-header, .q-uploader__header { --focus-ring: #ffffff; }
  :focus-visible:not([tabindex="-1"]):not(.q-field__native):not(.q-field__input):not(.q-select__focus-target),
  .q-field--focused .q-field__control, :has(> .q-uploader__input:focus-visible) {
    outline: 3px solid var(--focus-ring) !important; outline-offset: 2px;
  }
}
body:not(.body--dark) .diagnosis .codehilite :is(.c, .c1, .cm, .ch, .cs, .cp, .cpf) { color: #2f5f5f; }
"""
PRIMARY = '#3b5bdb'
POSITIVE = '#237032'  # Quasar's green carries white text at 2.6:1 only


@contextmanager
def frame(title: str) -> Iterator[ui.column]:
    ui.page_title(f'{title} · LogSentry')
    # Quasar's loading bar, shown while a part of the page loads, is a progress bar: it needs a name too.
    app.config.quasar_config['loadingBar']['aria-label'] = 'Loading'
    ui.colors(primary=PRIMARY, positive=POSITIVE)
    ui.add_css(ANSWER_CSS + THEME_CSS)
    dark = ui.dark_mode(app.storage.user.get(DARK_MODE_KEY, False))
    app.storage.client[THEME_KEY] = dark
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


def follow_theme(apply: Callable[[bool], None]) -> None:
    """Call `apply(dark)` now and whenever the person switches theme: for what CSS cannot restyle, like charts."""
    dark = app.storage.client.get(THEME_KEY)
    apply(bool(dark is not None and dark.value))
    if dark is not None:
        dark.on_value_change(lambda event: apply(bool(event.value)))
