"""Secrets and personal data out of log text before it is sent to a model or stored.

Provider token formats come from gitleaks' published rule set (`gitleaks.toml` beside this module, MIT licensed):
its regexes, keywords, entropy thresholds and allowlists, applied as gitleaks applies them. They are Go (RE2)
regexes, so they run on RE2 itself (google-re2): unchanged, and in linear time on hostile lines, where Python's
backtracking engines took seconds per line on a few of them (the `[\\w.-]{0,50}?` key prefixes, `curl .*?`).
Written here, because no library does it for log lines: one keyword scan that picks the rules a text needs, the
placeholders (`<EMAIL_1>` twice means the same address twice, every line keeps its number), and the rules a
repository scanner lacks: secrets named by their key (`DB_PASSWORD=`, `X-API-Key:`, `AccountKey=`), headers,
credentials in URLs, bare Basic credentials, card numbers (Luhn), e-mail and IP addresses. detect-secrets reports
lines, not spans, and found none of those forms on log lines; presidio needs spaCy models that cannot be downloaded
at run time.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import tomllib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import re2

from parsers import Analysis, Excerpt
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
    'API_TOKEN': ('API token', 'API tokens'),
    'URL_PASSWORD': ('password in a URL', 'passwords in URLs'),
    'PASSWORD': ('password', 'passwords'),
    'SECRET': ('secret or API key', 'secrets and API keys'),
    'EMAIL': ('e-mail address', 'e-mail addresses'),
    'CARD_NUMBER': ('card number', 'card numbers'),
    'IP_ADDRESS': ('IP address', 'IP addresses'),
}

RULES_FILE = Path(__file__).with_name('gitleaks.toml')
# gitleaks rules whose findings have a kind of their own here; any other rule's finding is an API token.
_GITLEAKS_KINDS = {
    'aws-access-token': 'AWS_ACCESS_KEY', 'jwt': 'JWT', 'jwt-base64': 'JWT', 'private-key': 'PRIVATE_KEY',
    'gcp-api-key': 'GOOGLE_API_KEY', 'generic-api-key': 'SECRET', 'database-password': 'PASSWORD',
    'curl-auth-header': 'AUTHORIZATION', 'curl-auth-user': 'PASSWORD',
}
_GITLEAKS_KIND_PREFIXES = {'github-': 'GITHUB_TOKEN', 'slack-': 'SLACK_TOKEN', 'stripe-': 'STRIPE_KEY'}
# The one rule published without keywords: these are what its regex requires, so it need not run on every text.
_GITLEAKS_MISSING_KEYWORDS = {'database-password': ('pwd', 'db_passw', 'database_passw')}
# The catch-all keyed rule runs after the named-key rules below, so that `password=…` reads as a password.
_GITLEAKS_LAST = frozenset({'generic-api-key'})


@dataclass(frozen=True, slots=True)
class _Rule:
    kind: str
    pattern: Any  # a compiled re or re2 pattern: finditer() yielding matches with span() and group()
    secret: Callable[[Any], tuple[int, int] | None]  # the span of a match to replace; None leaves the match alone
    accept: Callable[[str, Any], bool] = lambda _value, _match: True
    # Lower-case words one of which every match contains (gitleaks' keywords); none: a trigger regex or always.
    keywords: tuple[str, ...] = ()
    trigger: str = ''  # an RE2 regex every match contains, for rules without keywords (the card numbers)


def _whole(match: Any) -> tuple[int, int]:
    return match.span()  # type: ignore[no-any-return]


def _named(name: str) -> Callable[[Any], tuple[int, int] | None]:
    def span(match: Any) -> tuple[int, int] | None:
        start, end = match.span(name)
        return (start, end) if end > start else None
    return span


def _first_named(*names: str) -> Callable[[Any], tuple[int, int] | None]:
    def span(match: Any) -> tuple[int, int] | None:
        return next(((start, end) for start, end in map(match.span, names) if end > start), None)
    return span


@dataclass(slots=True)
class _RuleSet:
    rules: list[_Rule]
    always: frozenset[int]  # indexes of rules that run on every text
    by_entry: list[frozenset[int]]  # per entry of the scanner: the rules its hit switches on
    scanner: Any  # an RE2 set of every keyword and trigger: one pass over a text says which rules it needs

    def needed(self, text: str) -> list[_Rule]:
        wanted = set(self.always)
        for entry in self.scanner.Match(text) or ():
            wanted |= self.by_entry[entry]
        return [self.rules[index] for index in sorted(wanted)]


@dataclass(slots=True)
class Redactor:
    """Replaces secrets with placeholders; one redactor gives the same value the same placeholder every time."""

    redact_ips: bool = False
    counts: dict[str, int] = field(default_factory=dict)  # distinct values replaced, per kind
    _placeholders: dict[tuple[str, str], str] = field(default_factory=dict)

    def redact(self, text: str) -> str:
        if '-----BEGIN' in text:  # the one kind of secret that spans lines
            text = self._apply(_KEY_BLOCK, text)
        rule_set = _rule_set(self.redact_ips)
        # Line by line: no other secret spans lines, and a rule's match never runs on into the next line.
        return '\n'.join(self._redact_line(rule_set, line) for line in text.split('\n'))

    def _redact_line(self, rule_set: _RuleSet, line: str) -> str:
        for rule in rule_set.needed(line):
            line = self._apply(rule, line)
        return line

    def _apply(self, rule: _Rule, text: str) -> str:
        pieces: list[str] = []
        done = 0
        for start, end in _secrets(rule, text):
            if start < done:
                continue
            pieces += (text[done:start], self._placeholder(rule.kind, text[start:end]))
            done = end
        return ''.join((*pieces, text[done:])) if pieces else text

    def _placeholder(self, kind: str, value: str) -> str:
        placeholder = self._placeholders.get((kind, value))
        if placeholder is None:
            number = self.counts[kind] = self.counts.get(kind, 0) + 1
            placeholder = self._placeholders[(kind, value)] = f'<{kind}_{number}>'
        # A multi-line secret keeps its lines, so every later line keeps its line number.
        return placeholder + '\n' * value.count('\n')


@dataclass(frozen=True, slots=True)
class Redaction:
    """The redacted text and how many distinct values of each kind were replaced in it."""

    text: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _secrets(rule: _Rule, text: str, *, again: bool = True) -> Iterator[tuple[int, int]]:
    """The spans of `text` that `rule` finds secret. Matches do not overlap, so a match the entropy threshold or an
    allowlist turns down could hide a secret that starts inside it (`<SECRET_1> SECRET_KEY_BASE=…`: a placeholder's
    `>` reads as a separator); the text just after the refused value's start is searched again, within a window."""
    for match in rule.pattern.finditer(text):
        span = rule.secret(match)
        if span is None:
            continue
        value = text[span[0]:span[1]]
        if not _PLACEHOLDER.search(value) and rule.accept(value, match):
            yield span
        elif again:
            window = span[0] + 1
            for start, end in _secrets(rule, text[window:window + _RETRY_WINDOW], again=False):
                yield window + start, window + end


_RETRY_WINDOW = 1_000


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
            excerpts=[Excerpt(excerpt.first_line, [redactor.redact(line) for line in excerpt.lines])
                      for excerpt in group.excerpts],
        )
        for group in analysis.groups
    ]
    return replace(analysis, groups=groups)


@cache
def _rule_set(redact_ips: bool) -> _RuleSet:
    """Compiled once per process, on first use: reading and compiling the gitleaks rules takes a few hundred ms."""
    leaks = list(_gitleaks_rules(tomllib.loads(RULES_FILE.read_text(encoding='utf-8'))))
    rules = [
        _PEM_LINE, _JWT,
        *(rule for rule_id, rule in leaks if rule_id not in _GITLEAKS_LAST),
        *_NAMED_SECRETS,
        *(rule for rule_id, rule in leaks if rule_id in _GITLEAKS_LAST),
        *_PERSONAL, *(_IP_RULES if redact_ips else ()),
    ]
    entries: dict[str, set[int]] = {}
    always: set[int] = set()
    for index, rule in enumerate(rules):
        for entry in (*(f'(?i){re2.escape(word)}' for word in rule.keywords), *filter(None, [rule.trigger])):
            entries.setdefault(entry, set()).add(index)
        if not rule.keywords and not rule.trigger:
            always.add(index)
    scanner = re2.Set.SearchSet()
    for entry in entries:
        scanner.Add(entry)
    scanner.Compile()
    return _RuleSet(rules, frozenset(always), [frozenset(indexes) for indexes in entries.values()], scanner)


def _gitleaks_rules(config: dict[str, Any]) -> Iterator[tuple[str, _Rule]]:
    """Each rule with a regex and no file-path condition (a log line has no path), as gitleaks applies it: the
    keyword prefilter, the entropy threshold on the secret, then the global and the rule's own allowlists."""
    global_allow = _allowlist(config.get('allowlist', {}))
    for spec in config['rules']:
        if 'regex' not in spec or 'path' in spec:
            continue
        rule_id = spec['id']
        pattern = re2.compile(spec['regex'].replace(_PUBLISHED_END, _LOG_END))
        kind = _GITLEAKS_KINDS.get(rule_id) or next(
            (kind for prefix, kind in _GITLEAKS_KIND_PREFIXES.items() if rule_id.startswith(prefix)), 'API_TOKEN')
        allowlists = [global_allow, *(_allowlist(allow) for allow in spec.get('allowlists', []))]
        keywords = tuple(spec.get('keywords', ())) or _GITLEAKS_MISSING_KEYWORDS.get(rule_id, ())
        yield rule_id, _Rule(kind, pattern, _gitleaks_secret(pattern, spec.get('secretGroup', 0)),
                             _gitleaks_accept(float(spec.get('entropy', 0)), [a for a in allowlists if a]), keywords)


# Most rules end a token at a quote, a space, `;`, `\n` or the end; in a log it as often ends at `&` in a query
# string, at `,` `)` `]` `}` `|` `>` in structured text or at a sentence's full stop.
_PUBLISHED_END = r"""(?:[\x60'"\s;]|\\[nr]|$)"""
_LOG_END = r"""(?:[\x60'"\s;,&)\]}|>.]|\\[nr]|$)"""


def _gitleaks_secret(pattern: Any, secret_group: int) -> Callable[[Any], tuple[int, int] | None]:
    """gitleaks reports the first non-empty group, but a few rules capture a key word or a repeated part first
    (sonar's `(login|token)`, the Teams URL's `([a-z0-9]{4}-){3}`; jwt-base64's groups name header fields).
    What must be hidden is the value: the group that ends last (the outermost of those) when only the token's end
    follows it in the match, else the whole match."""
    if secret_group:
        return lambda match: match.span(secret_group)
    plain = [index for index in range(1, pattern.groups + 1) if index not in pattern.groupindex.values()]
    if not plain:
        return _whole

    def span(match: Any) -> tuple[int, int]:
        spans = [match.span(index) for index in plain if match.span(index)[1] > match.span(index)[0]]
        start, end = min(spans, key=lambda found: (-found[1], found[0]), default=(0, 0))
        if end > start and match.end() - end <= _END_LENGTH:
            return start, end
        return match.span()  # type: ignore[no-any-return]
    return span


_END_LENGTH = 2  # a quote, a space, `;` or an escaped `\\n`


@dataclass(frozen=True, slots=True)
class _Allowlist:
    """One gitleaks allowlist: the finding is no secret when one of its checks holds (all, with AND)."""

    regexes: tuple[Any, ...]
    target: str  # 'secret', 'match' or 'line': what the regexes are tried on
    stopwords: Any  # an RE2 set of the lower-case stop words, or None
    every: bool

    def __bool__(self) -> bool:
        return bool(self.regexes) or self.stopwords is not None

    def allows(self, secret: str, match: Any) -> bool:
        checks: list[bool] = []
        if self.regexes:
            target = self._target(secret, match)
            checks.append(any(regex.search(target) for regex in self.regexes))
        if self.stopwords is not None:
            checks.append(bool(self.stopwords.Match(secret.lower())))
        return all(checks) if self.every else any(checks)

    def _target(self, secret: str, match: Any) -> str:
        if self.target == 'match':
            return match.group(0)  # type: ignore[no-any-return]
        if self.target == 'line':
            return str(match.string)  # rules run line by line
        return secret


def _allowlist(spec: dict[str, Any]) -> _Allowlist | None:
    every = spec.get('condition', 'OR').upper() == 'AND'
    if spec.get('paths') and every:
        return None  # needs a file path to hold, and a log line has none
    stopwords = None
    if spec.get('stopwords'):
        stopwords = re2.Set.SearchSet()
        for word in spec['stopwords']:
            stopwords.Add(re2.escape(word))
        stopwords.Compile()
    return _Allowlist(tuple(map(re2.compile, spec.get('regexes', ()))), spec.get('regexTarget', 'secret'),
                      stopwords, every)


def _gitleaks_accept(entropy: float, allowlists: Sequence[_Allowlist]) -> Callable[[str, Any], bool]:
    def accept(secret: str, match: Any) -> bool:
        if entropy and _shannon(secret) < entropy:
            return False
        return not any(allowlist.allows(secret, match) for allowlist in allowlists)
    return accept


def _shannon(value: str) -> float:
    """Bits per character, as gitleaks measures a secret against a rule's entropy threshold."""
    return -sum(count / len(value) * math.log2(count / len(value)) for count in Counter(value).values())


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


def _ipv4(value: str, _match: Any) -> bool:
    return all(int(part) <= 255 for part in value.split('.'))


def _basic_credentials(value: str, _match: Any) -> bool:
    """RFC 7617: base64 of `user:password`; a word after 'Basic' in prose does not decode to that."""
    try:
        decoded = base64.b64decode(value + '=' * (-len(value) % 4), validate=True).decode('utf-8')
    except (binascii.Error, UnicodeDecodeError):
        return False
    return ':' in decoded and decoded.isprintable()


def _a_value(value: str, _match: Any) -> bool:
    """A named key's value that holds no secret: empty-ish words, masks, template variables."""
    return (value.lower() not in _NOT_SECRETS and len(set(value)) > 1
            and not _TEMPLATE_VARIABLE.fullmatch(value) and not _PATH.fullmatch(value))


_NOT_SECRETS = frozenset({'null', 'none', 'nil', 'true', 'false', 'undefined', 'redacted', '[redacted]', '[filtered]',
                          'hidden', 'masked', 'empty', 'required', 'set', 'unset', 'yes', 'no'})
_PATH = re.compile(r'~?/[\w.-]+(?:/[\w.-]+)*/?')  # `PWD=/srv/app` in an environment dump
_TEMPLATE_VARIABLE = re.compile(r'\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\{\{[^}]*\}\}|%[sd]|%\([a-z_]+\)s')

# No rule matches across a line break except private key blocks, whose replacement keeps the line count.
# Every rule below starts where a word starts and bounds its repeats, so each pass over a line is linear.
_H = r'[^\S\n]'  # horizontal white space
_STOP = r'\s"\'<>,;&}\]\)'  # what ends an unquoted value
# A value: quoted (up to the closing quote), or up to the next delimiter; never a placeholder.
_VALUE = (rf'(?:"(?P<dq>(?!<[A-Z_]+_\d+>)[^"\n]{{1,256}})"|\'(?P<sq>(?!<[A-Z_]+_\d+>)[^\'\n]{{1,256}})\''
          rf'|(?P<value>(?!<[A-Z_]+_\d+>)[^{_STOP}"\'][^{_STOP}]*))')
_VALUE_SPAN = _first_named('dq', 'sq', 'value')
_SEPARATOR = rf'["\']?{_H}*(?:=>|:=|[:=]){_H}*'  # `key=`, `"key": `, `key => `, `KEY := `
_KEY_START = r'(?<![A-Za-z0-9_.-])(?:--?)?'  # a key starts a word (or a command-line flag)
_KEY_PREFIX = r'[A-Za-z0-9_.-]{0,40}?'  # `DB_`, `PG`, `X-`, `spring.datasource.`: anything before the name


def _named_key(names: str) -> str:
    """A key whose name ends with one of `names`, then its separator: `DB_PASSWORD=`, `"x-api-key": `."""
    return rf'(?i:{_KEY_START}{_KEY_PREFIX}(?:{names})){_SEPARATOR}'


_KEY_BLOCK = _Rule('PRIVATE_KEY', re.compile(
    # A block cut short (the END line missing) ends with its last line of base64.
    r'-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----'
    r'(?:(?:(?!-----BEGIN).){0,16000}?-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----'
    r'|(?:\n[^\S\n]*[A-Za-z0-9+/=]+[^\S\n]*(?=\n|\Z))*)',
    re.DOTALL,
), _whole)
# PEM body lines logged one by one (64 base64 characters) are key material even without their BEGIN line.
_PEM_LINE = _Rule('PRIVATE_KEY', re.compile(r'^[^\S\n]*[A-Za-z0-9+/]{64}[^\S\n]*$'), _whole,
                  trigger=r'^\s*[A-Za-z0-9+/]{64}\s*$')
# Wider than gitleaks' jwt rule: an unsigned token or one cut short by a log line's length still identifies a user.
_JWT = _Rule('JWT', re.compile(r'\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{0,}'), _whole,
             keywords=('eyj',))
_NAMED_SECRETS = (
    _Rule('AWS_SECRET_KEY', re.compile(
        _named_key(r'aws_?secret_?access_?key|aws_?secret(?:_?key)?|secret_?access_?key') + r'["\']?'
        r'(?P<value>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])'
    ), _named('value'), keywords=('secret',)),
    _Rule('AUTHORIZATION', re.compile(
        rf'(?i)\b(?:proxy-)?authorization["\']?{_H}*[:=]{_H}*["\']?'
        rf'(?:(?:basic|bearer|digest|token|negotiate|aws4-hmac-sha256){_H}+)?+(?P<value>(?!<[A-Z_]+_\d+>)[^{_STOP}]+)'
    ), _named('value'), keywords=('authorization',)),
    _Rule('BEARER_TOKEN', re.compile(r'(?i)\bbearer[^\S\n]+(?P<value>(?!<[A-Z_]+_\d+>)[A-Za-z0-9._~+/-]{8,}=*)'),
          _named('value'), keywords=('bearer',)),
    # Bare Basic credentials, as an HTTP client or proxy logs them without the header name.
    _Rule('AUTHORIZATION', re.compile(r'\b[Bb]asic[^\S\n]+(?P<value>[A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])'),
          _named('value'), _basic_credentials, keywords=('basic',)),
    _Rule('COOKIE', re.compile(
        rf'(?i)\b(?:set-)?cookie["\']?{_H}*[:=]{_H}*["\']?(?P<value>(?!<[A-Z_]+_\d+>)[^"\'\n]*[^"\'\s])'
    ), _named('value'), keywords=('cookie',)),
    # OpenAI and Anthropic keys whatever their length: gitleaks' rules want each one's exact current format.
    # (and Stripe's webhook secrets, which gitleaks lacks).
    _Rule('API_TOKEN', re.compile(r'\bsk-(?:proj|svcacct|admin|ant-[a-z]{3,5}\d\d)-[A-Za-z0-9_-]{16,}'), _whole,
          keywords=('sk-',)),
    _Rule('STRIPE_KEY', re.compile(r'\bwhsec_[A-Za-z0-9]{24,}'), _whole, keywords=('whsec_',)),
    _Rule('URL_PASSWORD', re.compile(
        r'(?<![a-zA-Z0-9+.-])[a-zA-Z][a-zA-Z0-9+.-]{0,30}://[^\s:/@<>]{0,256}:(?P<value>[^\s@/<>]{1,256})@'
    ), _named('value'), keywords=('://',)),
    # `curl -u user:password`: gitleaks' rule stops at a password's `#` or `!`.
    _Rule('PASSWORD', re.compile(
        r'(?<!\S)(?:-u|--user)(?:=|[^\S\n]{1,5})["\']?[^\s:"\']{1,256}:(?P<value>[^\s"\']{1,256})'
    ), _named('value'), keywords=('-u', '--user')),
    _Rule('PASSWORD', re.compile(
        _named_key(r'passw(?:or)?d|pwd|passphrase|(?<![A-Za-z])pass|db_?pass') + _VALUE
    ), _VALUE_SPAN, _a_value, keywords=('passw', 'pwd', 'pass')),
    # Connection strings (`Server=…;User Id=…;Password=…;`, Azure's `AccountKey=…;`) and keys named as secrets.
    _Rule('SECRET', re.compile(
        _named_key(
            r'secret|client_?secret|token|(?:api|access|account|private|secret|signing|encryption|master|license'
            r'|subscription|shared_?access|storage|app|consumer|auth)[_.-]?key|apikey|credentials?|sig|signature'
        ) + _VALUE
    ), _VALUE_SPAN, _a_value, keywords=('secret', 'key', 'token', 'credential', 'sig')),
)
_PERSONAL = (
    _Rule('EMAIL', re.compile(
        r'(?<![\w.%+/-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b'
    ), _whole, keywords=('@',)),
    # Brand prefixes (Visa, Mastercard, Amex, Discover, JCB, Diners) and Luhn keep timestamps and ids from looking
    # like cards; a number that goes on as a decimal or longer number is not one.
    _Rule('CARD_NUMBER', re.compile(
        r'(?<!\d)(?<!\d[.,])(?:4\d{3}|5[1-5]\d{2}|2[2-7]\d{2}|3[47]\d{2}|6(?:011|5\d{2})|35\d{2}|3[068]\d{2})'
        r'(?:[ -]?\d){9,15}(?!\d|[.,-]\d)'
    ), _whole, lambda value, _match: _luhn(value), trigger=r'\d(?:[ -]?\d){12}'),
)
_IP_RULES = (
    _Rule('IP_ADDRESS', re.compile(r'(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])'), _whole, _ipv4,
          trigger=r'\d\.\d{1,3}\.\d'),
    _Rule('IP_ADDRESS', re.compile(
        r'(?<![\w:])(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}(?![\w:])'
        r'|(?<![\w:])(?:[0-9a-fA-F]{1,4}:){1,6}:(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4})*)?(?![\w:])'
    ), _whole, lambda value, _match: any(char.isdigit() for char in value) and value.count(':') >= 2,
          trigger='::|:.*:'),
)
