"""The FAQ, privacy and terms pages: what LogSentry does with a person's logs, in plain words."""

from __future__ import annotations

from nicegui import ui

from services.config import Settings
from ui.frame import frame


def register(settings: Settings) -> None:
    @ui.page('/faq')
    def faq_page() -> None:
        with frame('FAQ'):
            ui.label('Frequently asked questions').classes('text-2xl font-semibold')
            for question, answer in _faq(settings):
                with ui.expansion(question).classes('w-full').props('header-class="text-base font-medium"'):
                    ui.markdown(answer)

    @ui.page('/privacy')
    def privacy_page() -> None:
        with frame('Privacy'):
            ui.markdown(_privacy(settings)).classes('max-w-3xl')

    @ui.page('/terms')
    def terms_page() -> None:
        with frame('Terms'):
            ui.markdown(TERMS).classes('max-w-3xl')


def _faq(settings: Settings) -> list[tuple[str, str]]:
    model = settings.gemini_model if settings.gemini_api_key else None
    analyzer = (
        f'Diagnoses on this server come from Google Gemini (`{model}`).' if model else
        'This server has no Gemini key configured, so diagnoses come from the built-in offline analyzer: '
        'a knowledge base of common failures that runs entirely on this server.'
    )
    return [
        ('What is sent to the AI model?', (
            'Never your whole file. LogSentry parses the log on this server, groups its events, and builds a '
            'short evidence digest for the problem you choose: an overview (formats, time span, level counts), '
            'that event in full with its stack trace, the lines just before it first happened, the first error '
            'in time, and one example of each other top group, every line with its line number. The digest is '
            f'redacted first, and you can preview the exact text before pressing Diagnose. {analyzer}'
        )),
        ('What is redacted?', (
            'Before anything is sent or stored: AWS access and secret keys, bearer tokens and JWTs, API keys '
            '(Google, GitHub, Slack, Stripe), private key blocks, passwords in URLs and in `password=` pairs, '
            'cookies and `Authorization` headers, email addresses and card numbers. Each value becomes a '
            'placeholder such as `<EMAIL_1>`, the same value always the same placeholder, so the diagnosis can '
            'still tell them apart. The page shows how many values of each kind were replaced.'
        )),
        ('How many analyses can I run?', (
            'Parsing, summaries and diagnoses by the built-in offline analyzer are free and unlimited. '
            'Diagnoses by the AI model are limited for guests: '
            f'{settings.guest_free_analyses} per browser, and at most {settings.guest_daily_cap_per_address} a '
            'day from one network address. Registered accounts are unlimited. An answer served again from the '
            'store, or a diagnosis that failed, does not count.'
        )),
        ('Which log formats are understood?', (
            'No configuration is needed: the format is detected per part of the file. JSON lines (including '
            'pino and bunyan levels), logfmt, syslog (RFC 3164 and 5424), systemd journal exports, nginx and '
            'Apache access and error logs, Python logging, log4j and logback, klog/glog, Go, Node.js, '
            'PostgreSQL, MySQL, Redis, Docker and Kubernetes JSON wrappers, and any "timestamp, level, message" '
            'shape. Stack traces (Python, Java, Go, Node.js) stay together as one event. Files may have any name '
            '(app.log.1, catalina.out, syslog) and may be compressed with gzip, bzip2 or xz.'
        )),
        ('How big can a file be?', (
            f'Up to {settings.max_upload_mb} MB per upload (also after decompression of a .gz file). Lines longer '
            f'than {settings.max_line_kib} KiB are cut and marked.'
        )),
        ('How long is my data kept?', (
            'The uploaded file is deleted as soon as it is parsed. The analysis (summary, groups, the redacted '
            'digest and the diagnosis) is kept in your history until you delete it, or delete your account, which '
            'removes everything belonging to it. Share links work until you revoke them.'
        )),
    ]


def _privacy(settings: Settings) -> str:
    model_note = (
        "the redacted evidence digest is sent to Google Gemini, under Google's API terms"
        if settings.gemini_api_key else 'no log content leaves this server'
    )
    return f"""
# Privacy

**What we store.** Your email address if you register. For each analysis: the file name and size, the
summary, the event groups, the redacted evidence digest and the diagnosis. Raw uploads are deleted after
parsing.

**What leaves this server.** When you ask for a diagnosis, {model_note}. Secrets, emails and card numbers
are replaced before that, and you can preview the exact text first.

**Cookies.** One signed cookie identifies your browser, so your free analyses and your session work. No
advertising or tracking cookies are used.

**Your control.** Delete any analysis from your history, revoke any share link, or delete your account and
everything it owns from the account page.
"""


TERMS = """
# Terms of use

LogSentry is provided as is. Diagnoses are suggestions, from a model or a knowledge base, and can be wrong:
check them before acting on production systems.

Upload only logs you are allowed to share with this service. Do not use the service to attack it or others,
to get around the free-use limits, or to store content that is not a log.

Guests have a limited number of free diagnoses; accounts may be limited when used abusively.
"""
