"""Planted incidents: an ordinary service log of 100,000 lines with one incident (20-80 lines) placed in it.

The service log is busy INFO and DEBUG from a few components, routine WARN, and a few recurring ERRORs that have
nothing to do with the incident (one with a stack trace). Each incident is one of ten causes told in one of three
shapes: a deep exception whose root cause is the last `Caused by:` of a long trace; a cause logged once and then a
burst of its consequences; a cause printed raw (no header, another program's output) just before a crash. Every
incident knows its root-cause line and the terms a right diagnosis of its cause names, and carries a secret (a
password in a URL) that must never reach the evidence.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

LINES = 100_000
START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
SECRET = 'Pl4nt3dS3cr3tValue'  # noqa: S105 - planted, to prove it is never sent
COMPONENTS = ('com.shop.orders.OrderService', 'com.shop.cart.CartController', 'com.shop.search.SearchIndex',
              'com.shop.mail.Mailer', 'com.shop.auth.SessionStore', 'com.shop.pay.PaymentClient')
ROUTINE = (
    ('INFO', 'order {n} created for customer {m} total {n}.{m} EUR'),
    ('INFO', 'GET /api/orders/{n} 200 in {m} ms'),
    ('INFO', 'POST /api/cart/{n}/items 201 in {m} ms'),
    ('DEBUG', 'cache hit for product {n} (ratio 0.{m})'),
    ('DEBUG', 'session {h} refreshed, expires in {m} s'),
    ('INFO', 'mail {n} queued to customer {m}'),
    ('DEBUG', 'index shard {m} merged {n} segments'),
    ('INFO', 'payment {n} authorized in {m} ms'),
)
USUAL_WARN = (
    ('WARN', 'slow request GET /api/search?q={h} took {n} ms'),
    ('WARN', 'retrying payment {n} after gateway answered 429 (attempt {m})'),
    ('WARN', 'cache miss ratio 0.{m} above 0.25 for product pages'),
)
USUAL_ERROR = (
    ('ERROR', 'payment {n} declined by issuer: insufficient funds'),
    ('ERROR', 'upstream timeout for GET /api/recommendations/{n} after 2000 ms'),
)


@dataclass(frozen=True, slots=True)
class Cause:
    name: str
    exception: str  # the deepest exception of a trace, with its message
    line: str  # the same cause as one log message
    raw: str  # the same cause as another program prints it
    consequence: str  # what the service logs over and over once it happened
    # What a right diagnosis names, in its own words: the cause, then the remedy (`a|b` accepts either).
    must_mention: tuple[str, ...]


CAUSES = (
    Cause('disk-full', 'java.io.IOException: No space left on device',
          'cannot write segment /var/lib/shop/index/seg_{n}.dat: No space left on device',
          'write /var/lib/shop/index/seg_{n}.dat: no space left on device',
          'index update {n} failed, search results are stale',
          ('no space|disk full|is full|full disk|disk space|out of space|out of disk|space left',
           'free up|free some|free space|free disk|clean|delete|remove old|expand|enlarge|grow the'
           '|larger disk|bigger disk|more space|more disk')),
    Cause('db-refused', 'java.net.ConnectException: Connection refused (Connection refused)',
          'could not connect to postgresql://shop:' + SECRET + '@db.internal:5432/shop: Connection refused',
          'psql: error: connection to server at "db.internal" (10.0.3.7), port 5432 failed: Connection refused',
          'request {n} failed: 503 Service Unavailable (no database connection)',
          ('refused|not listening|not running|unreachable|not reachable',
           'start the|is running|is up|listening on|listens on|firewall|host and port')),
    Cause('permission', 'java.nio.file.AccessDeniedException: /etc/shop/keys/signing.pem',
          'cannot open /etc/shop/keys/signing.pem: Permission denied (running as uid 1001)',
          'open /etc/shop/keys/signing.pem: permission denied',
          'token for session {n} could not be signed, answering 500',
          ('permission|access denied',
           'chmod|chown|ownership|owner of|grant|readable|run as|runs as')),
    Cause('open-files', 'java.net.SocketException: Too many open files',
          'accept failed on :8443: Too many open files (limit 1024)',
          'accept4: too many open files; retrying in 5ms',
          'connection {n} dropped while the listener is paused',
          ('too many open files|file descriptor|open files',
           'ulimit|nofile|raise the|increase the|leak')),
    Cause('memory', 'java.lang.OutOfMemoryError: Java heap space',
          'heap usage 99% after full GC, allocation of {n} bytes failed: out of memory',
          'Killed process 4242 (java) total-vm:8123456kB, anon-rss:4012345kB: Out of memory',
          'request {n} aborted: worker restarted',
          ('out of memory|heap space|memory',
           '-xmx|heap size|more memory|increase the|raise the|memory limit|leak')),
    Cause('certificate', 'sun.security.validator.ValidatorException: PKIX path validation failed: '
          'validity check failed: certificate expired on 2026-11-25T23:59:59Z',
          'TLS handshake with payments.example.net failed: certificate has expired (notAfter 2026-11-25)',
          'curl: (60) SSL certificate problem: certificate has expired',
          'payment {n} could not be sent to the gateway',
          ('certificate',
           'expired|expiry|expiration|validity|not valid',
           'renew|replace the certificate|new certificate|rotate|reissue')),
    Cause('dns', 'java.net.UnknownHostException: mail-relay.internal: Name or service not known',
          'cannot resolve mail-relay.internal: Name or service not known',
          'dial tcp: lookup mail-relay.internal on 10.0.0.2:53: no such host',
          'mail {n} could not be delivered, kept in the outbox',
          ('resolve|resolution|name or service not known|no such host|unknown host|lookup',
           'dns|resolv.conf|/etc/hosts|name server|nameserver|spelling|typo|hostname is correct'
           '|host name is correct')),
    Cause('config', "java.lang.IllegalArgumentException: Could not resolve placeholder 'shop.pay.api-key' in value "
          '"${shop.pay.api-key}"',
          'required setting shop.pay.api-key is missing from /etc/shop/application.yml',
          'error: missing required environment variable SHOP_PAY_API_KEY',
          'payment {n} rejected: client not configured',
          ('api-key|api key|api_key|apikey',
           'missing|not set|unset|is required|placeholder|undefined|not defined',
           'set the|set it|define|add the|add it|provide|supply|export')),
    Cause('lock', 'org.h2.jdbc.JdbcSQLTimeoutException: Timeout trying to lock table "ORDERS"',
          'could not acquire lock /var/lib/shop/orders.lock: held by process 3131 since 09:12',
          'flock: /var/lib/shop/orders.lock: Resource temporarily unavailable (locked by pid 3131)',
          'order {n} could not be saved, retry later',
          ('lock',
           'another process|other process|transaction|held by|holds the|holding|pid|instance',
           'stop the|kill|wait for|release|remove the lock|stale lock|finish')),
    Cause('version', 'java.lang.UnsupportedClassVersionError: com/shop/pay/Gateway has been compiled by a more '
          'recent version of the Java Runtime (class file version 65.0), this version of the Java Runtime only '
          'recognizes class file versions up to 61.0',
          'plugin pay-gateway 3.2 requires API version 5 but this server provides version 4 (version mismatch)',
          'ERROR: module compiled against API version 5, this runtime provides version 4',
          'payment {n} skipped: gateway plugin not loaded',
          ('version',
           'compiled|incompatible|compatible|mismatch|newer|older|requires',
           'upgrade|downgrade|update the|update to|rebuild|recompile|same version|matching')),
)


@dataclass(frozen=True, slots=True)
class Planted:
    name: str
    log: str
    root_line: str  # a line of the incident that states its root cause
    must_mention: tuple[str, ...]  # what a right diagnosis of it names (its cause's terms)


def planted(seed: int = 13) -> list[Planted]:
    """The 30 logs: every cause in every shape, each incident placed at a seeded random line."""
    result = []
    for number, (cause, shape) in enumerate((cause, shape) for shape in SHAPES for cause in CAUSES):
        rng = random.Random(f'{seed}:{number}')
        hay = haystack(rng)
        at = rng.randrange(len(hay) // 20, len(hay))
        moment = _time_at(hay[at - 1])
        lines, root = shape(cause, rng, moment)
        log = '\n'.join([*hay[:at], *lines, *hay[at:]][:LINES]) + '\n'
        result.append(Planted(f'{shape.__name__.strip("_")}-{cause.name}', log, root, cause.must_mention))
    return result


def haystack(rng: random.Random) -> list[str]:
    lines: list[str] = []
    moment = START
    while len(lines) < LINES:
        moment += timedelta(milliseconds=rng.randrange(1, 120))
        roll = rng.random()
        if roll < 0.003:
            lines += _recurring_trace(rng, moment)
            continue
        level, text = rng.choice(USUAL_ERROR if roll < 0.01 else USUAL_WARN if roll < 0.08 else ROUTINE)
        lines.append(_line(rng, moment, level, text))
    return lines


def _recurring_trace(rng: random.Random, moment: datetime) -> list[str]:
    n = rng.randrange(1, 99999)
    return [_line(rng, moment, 'ERROR', f'checkout {n} failed', 'com.shop.cart.CartController'),
            f'java.lang.IllegalStateException: cart {n} is closed',
            '\tat com.shop.cart.Cart.add(Cart.java:88)',
            '\tat com.shop.cart.CartController.post(CartController.java:57)',
            '\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:897)']


def _line(rng: random.Random, moment: datetime, level: str, text: str, component: str = '') -> str:
    message = text.format(n=rng.randrange(1, 99999), m=rng.randrange(1, 999), h=f'{rng.getrandbits(32):08x}')
    stamp = f'{moment:%Y-%m-%d %H:%M:%S},{moment.microsecond // 1000:03d}'
    return f'{stamp} {level:<5} [worker-{rng.randrange(1, 17)}] {component or rng.choice(COMPONENTS)} - {message}'


def _time_at(line: str) -> datetime:
    return datetime.strptime(line[:23], '%Y-%m-%d %H:%M:%S,%f').replace(tzinfo=UTC)


def _deep_trace(cause: Cause, rng: random.Random, moment: datetime) -> tuple[list[str], str]:
    """A startup-like failure: a long trace whose last `Caused by:` is the root cause, then the service stops."""
    frames = [f'\tat org.springframework.beans.factory.support.Factory{i}.create(Factory{i}.java:{100 + i})'
              for i in range(rng.randrange(18, 30))]
    inner = [f'\tat com.shop.infra.Client{i}.open(Client{i}.java:{40 + i})' for i in range(rng.randrange(8, 14))]
    root = f'Caused by: {cause.exception}'
    lines = [
        _line(rng, moment, 'INFO', 'refreshing application context after configuration change'),
        _line(rng, moment, 'ERROR', 'application context failed to refresh', 'com.shop.Application'),
        "org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'shopService'",
        *frames,
        'Caused by: org.springframework.beans.factory.UnsatisfiedDependencyException: Unsatisfied dependency '
        "expressed through field 'client'",
        *frames[:6],
        '\t... 24 more',
        'Caused by: com.shop.infra.ClientException: client could not be initialised',
        *inner,
        '\t... 31 more',
        root,
        *inner[:5],
        '\t... 12 more',
        _line(rng, moment + timedelta(seconds=1), 'INFO', 'shutting down worker pool'),
    ]
    return lines, root


def _burst(cause: Cause, rng: random.Random, moment: datetime) -> tuple[list[str], str]:
    """The cause logged once at WARN, then a burst of consequences at ERROR."""
    root = _line(rng, moment, 'WARN', cause.line.replace('{n}', str(rng.randrange(1, 999))))
    lines = [root]
    for step in range(rng.randrange(20, 60)):
        moment += timedelta(milliseconds=rng.randrange(5, 50))
        lines.append(_line(rng, moment, 'ERROR', cause.consequence))
        if step % 7 == 3:
            lines.append(_line(rng, moment, 'INFO', rng.choice(ROUTINE)[1]))
    return lines, root


def _raw_then_crash(cause: Cause, rng: random.Random, moment: datetime) -> tuple[list[str], str]:
    """A helper's raw output (no header) with the cause, then the service's own errors and its exit."""
    root = cause.raw.replace('{n}', str(rng.randrange(1, 999)))
    lines = [
        _line(rng, moment, 'INFO', 'running pre-flight check /opt/shop/bin/check --db '
              f'postgresql://shop:{SECRET}@db.internal:5432/shop'),
        'check: starting',
        'check: loading configuration from /etc/shop/application.yml',
        root,
        'check: 1 problem found',
        _line(rng, moment + timedelta(milliseconds=40), 'ERROR', 'pre-flight check exited with status 1'),
        *[_line(rng, moment + timedelta(milliseconds=50 + i), 'ERROR', cause.consequence) for i in range(20)],
        _line(rng, moment + timedelta(milliseconds=90), 'FATAL', 'giving up after 20 failed requests, exiting'),
    ]
    return lines, root


SHAPES: tuple[Callable[[Cause, random.Random, datetime], tuple[list[str], str]], ...] = (
    _deep_trace, _burst, _raw_then_crash,
)
