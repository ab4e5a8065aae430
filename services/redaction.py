"""Secrets and personal data out of log text before it is sent to a model or stored.

Hand-written: detect-secrets reports lines, not spans, and has no consistent placeholders or e-mail/card
detection; presidio needs spaCy language models this product cannot download at run time. What a log needs is
a small ordered rule list whose replacements keep the text readable for a model (`<EMAIL_1>` twice means the
same address twice) and keep every line on its line number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial

from parsers import Analysis
from parsers.digest import plain_template

# Kinds, in the order people read them in the summary.
KIND_LABELS = {
    'PRIVATE_KEY': ('private key', 'private keys'),
    'AWS_ACCESS_KEY': ('AWS access key', 'AWS access keys'),
    'AWS_SECRET_KEY': ('AWS secret key', 'AWS secret keys'),
    'JWT': ('JSON web token', 'JSON web tokens'),
    'BEARER_TOKEN': ('bearer token', 'bearer tokens'),
    'AUTHORIZATION': ('Authorization header', 'Authorization headers'),
    'COOKIE': ('cookie', 'cookies'),
    'GOOGLE_API_KEY': ('Google API key', 'Google API keys'),
    'GITHUB_TOKEN': ('GitHub token', 'GitHub tokens'),
    'SLACK_TOKEN': ('Slack token', 'Slack tokens'),
    'STRIPE_KEY': ('Stripe key', 'Stripe keys'),
    'URL_PASSWORD': ('password in a URL', 'passwords in URLs'),
    'PASSWORD': ('password', 'passwords'),
    'SECRET': ('secret or API key', 'secrets and API keys'),
    'EMAIL': ('e-mail address', 'e-mail addresses'),
    'CARD_NUMBER': ('card number', 'card numbers'),
    'IP_ADDRESS': ('IP address', 'IP addresses'),
}


@dataclass(frozen=True, slots=True)
class _Rule:
    kind: str
    pattern: re.Pattern[str]
    group: str | int = 0  # the part of the match that is secret; the rest stays for context
    valid: Callable[[str], bool] = lambda _value: True
    # Lower-case words one of which every match contains: a text without any skips the (much slower) regex.
    needs: tuple[str, ...] = ()


def _luhn(value: str) -> bool:
    digits = [int(char) for char in value if char.isdigit()]
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for index, digit in enumerate(reversed(digits)):
        if index % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def _ipv4(value: str) -> bool:
    return all(int(part) <= 255 for part in value.split('.'))


# No rule matches across a line break except private key blocks, whose replacement keeps the line count.
_H = r'[^\S\n]'  # horizontal white space
_VALUE = r'(?!<[A-Z_]+_\d+>)[^\s"\'<>,;&}\]]+'  # a value up to the next delimiter, never a placeholder
_RULES = (
    _Rule('PRIVATE_KEY', re.compile(
        # A block cut short (the END line missing) ends with its last line of base64.
        r'-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----'
        r'(?:(?:(?!-----BEGIN).){0,16000}?-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----'
        r'|(?:\n[^\S\n]*[A-Za-z0-9+/=]+[^\S\n]*(?=\n|\Z))*)',
        re.DOTALL,
    )),
    # PEM body lines logged one by one (64 base64 characters) are key material even without their BEGIN line.
    _Rule('PRIVATE_KEY', re.compile(r'(?m)^[^\S\n]*[A-Za-z0-9+/]{64}[^\S\n]*$')),
    _Rule('AWS_ACCESS_KEY', re.compile(r'\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}\b'),
          needs=('akia', 'asia', 'abia', 'acca', 'agpa', 'aida', 'aroa', 'aipa', 'anpa', 'anva', 'apka')),
    _Rule('AWS_SECRET_KEY', re.compile(
        rf'(?i)\b(?:aws_?secret_?access_?key|aws_?secret(?:_?key)?|secret_?access_?key)["\']?{_H}*[:=]{_H}*["\']?'
        r'(?P<value>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])'
    ), group='value', needs=('secret',)),
    _Rule('JWT', re.compile(r'\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}'), needs=('eyj',)),
    _Rule('AUTHORIZATION', re.compile(
        rf'(?i)\b(?:proxy-)?authorization["\']?{_H}*[:=]{_H}*["\']?(?:(?:basic|bearer|digest|token|negotiate){_H}+)?+'
        rf'(?P<value>{_VALUE})'
    ), group='value', needs=('authorization',)),
    _Rule('BEARER_TOKEN', re.compile(r'(?i)\bbearer[^\S\n]+(?P<value>(?!<[A-Z_]+_\d+>)[A-Za-z0-9._~+/-]{8,}=*)'),
          group='value', needs=('bearer',)),
    _Rule('COOKIE', re.compile(
        rf'(?i)\b(?:set-)?cookie["\']?{_H}*[:=]{_H}*["\']?(?P<value>(?!<[A-Z_]+_\d+>)[^"\'\n]*[^"\'\s])'
    ), group='value', needs=('cookie',)),
    _Rule('GOOGLE_API_KEY', re.compile(r'\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])'), needs=('aiza',)),
    _Rule('GITHUB_TOKEN', re.compile(r'\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b'),
          needs=('ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_')),
    _Rule('SLACK_TOKEN', re.compile(
        r'\bxox[abposre]-[A-Za-z0-9-]{10,}|https://hooks\.slack\.com/services/[A-Za-z0-9/]+'
    ), needs=('xox', 'hooks.slack.com')),
    _Rule('STRIPE_KEY', re.compile(r'\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}\b|\bwhsec_[A-Za-z0-9]{24,}\b'),
          needs=('sk_', 'rk_', 'pk_', 'whsec_')),
    _Rule('URL_PASSWORD', re.compile(r'(?<![a-zA-Z0-9+.-])[a-zA-Z][a-zA-Z0-9+.-]{0,30}://[^\s:/@<>]*:(?P<value>[^\s@/<>]+)@'),
          group='value', needs=('://',)),
    _Rule('PASSWORD', re.compile(
        rf'(?i)(?<![\w-])(?:password|passwd|pwd|db_pass)["\']?{_H}*[:=]{_H}*["\']?(?P<value>{_VALUE})'
    ), group='value', needs=('passw', 'pwd', 'db_pass')),
    _Rule('SECRET', re.compile(
        rf'(?i)(?<![\w-])(?:client_?secret|api_?key|apikey|access_?token|auth_?token|refresh_?token|secret(?:_?key)?'
        rf'|private_?token|token)["\']?{_H}*[:=]{_H}*["\']?(?P<value>{_VALUE})'
    ), group='value', needs=('secret', 'key', 'token')),
    _Rule('EMAIL', re.compile(r'(?<![\w.%+/-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b'),
          needs=('@',)),
    # Brand prefixes (Visa, Mastercard, Amex, Discover, JCB, Diners) keep timestamps and ids from looking like cards.
    _Rule('CARD_NUMBER', re.compile(
        r'(?<![\d.-])(?:4\d{3}|5[1-5]\d{2}|2[2-7]\d{2}|3[47]\d{2}|6(?:011|5\d{2})|35\d{2}|3[068]\d{2})'
        r'(?:[ -]?\d){9,15}(?![\d.-])'
    ), valid=_luhn),
)
_IP_RULES = (
    _Rule('IP_ADDRESS', re.compile(r'(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])'), valid=_ipv4),
    _Rule('IP_ADDRESS', re.compile(
        r'(?<![\w:])(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}(?![\w:])'
        r'|(?<![\w:])(?:[0-9a-fA-F]{1,4}:){1,6}:(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4})*)?(?![\w:])'
    ), valid=lambda value: any(char.isdigit() for char in value) and value.count(':') >= 2),
)


@dataclass(frozen=True, slots=True)
class Redaction:
    """The redacted text and how many distinct values of each kind were replaced in it."""

    text: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(slots=True)
class Redactor:
    """Replaces secrets with placeholders; one redactor gives the same value the same placeholder every time."""

    redact_ips: bool = False
    counts: dict[str, int] = field(default_factory=dict)  # distinct values replaced, per kind
    _placeholders: dict[tuple[str, str], str] = field(default_factory=dict)

    def redact(self, text: str) -> str:
        lowered = text.lower()
        for rule in (*_RULES, *_IP_RULES) if self.redact_ips else _RULES:
            if rule.needs and not any(word in lowered for word in rule.needs):
                continue
            text = rule.pattern.sub(partial(self._replace, rule), text)
        return text

    def _replace(self, rule: _Rule, match: re.Match[str]) -> str:
        value = match.group(rule.group)
        if not value or not rule.valid(value):
            return match.group(0)
        placeholder = self._placeholders.get((rule.kind, value))
        if placeholder is None:
            number = self.counts[rule.kind] = self.counts.get(rule.kind, 0) + 1
            placeholder = self._placeholders[(rule.kind, value)] = f'<{rule.kind}_{number}>'
        # A multi-line secret keeps its lines, so every later line keeps its line number.
        replacement = placeholder + '\n' * value.count('\n')
        start, end = match.span(rule.group)
        whole_start, whole_end = match.span()
        return match.string[whole_start:start] + replacement + match.string[end:whole_end]


def redact(text: str, *, redact_ips: bool = False) -> Redaction:
    """Redact one text: the preview a person sees is exactly what leaves the machine."""
    redactor = Redactor(redact_ips=redact_ips)
    redacted = redactor.redact(text)
    return Redaction(redacted, dict(redactor.counts))


_PLACEHOLDER = re.compile(r'<([A-Z_]+)_(\d+)>')


def placeholder_counts(text: str) -> dict[str, int]:
    """How many different values of each kind `text` holds as placeholders, whenever they were redacted
    (a stored analysis was redacted when it was saved, so redacting it again finds nothing new)."""
    found = {(match.group(1), match.group(2)) for match in _PLACEHOLDER.finditer(text) if match.group(1) in KIND_LABELS}
    counts: dict[str, int] = {}
    for kind, _number in found:
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def describe_counts(counts: dict[str, int]) -> str:
    """'1 password, 2 e-mail addresses' in the fixed order of KIND_LABELS; 'nothing' when empty."""
    parts = [f'{counts[kind]} {one if counts[kind] == 1 else many}'
             for kind, (one, many) in KIND_LABELS.items() if counts.get(kind)]
    return ', '.join(parts) or 'nothing'


def redact_analysis(analysis: Analysis, *, redact_ips: bool = False) -> Analysis:
    """A copy whose log texts (templates, examples, context lines) are redacted, one placeholder per value across
    the whole analysis: what is stored keeps no secret, and the same value still reads the same everywhere."""
    redactor = Redactor(redact_ips=redact_ips)
    groups = [
        replace(
            group, template=redactor.redact(plain_template(group.template)), example=redactor.redact(group.example),
            context_before=redactor.redact('\n'.join(group.context_before)).split('\n') if group.context_before else [],
        )
        for group in analysis.groups
    ]
    return replace(analysis, groups=groups)
