"""Deterministic synthetic logs for the throughput and memory benchmarks.

`mixed`: interleaved nginx access, JSON lines, logfmt, syslog, Python logging with tracebacks, Java stack traces
and Go panics. `nginx`: combined access lines only.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
PATHS = ('/api/orders/{n}', '/api/users/{n}/profile', '/static/app.{h}.js', '/healthz', '/api/search', '/login')
AGENTS = ('Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0', 'curl/8.5.0', 'kube-probe/1.31')
USERS = ('alice', 'bob', 'carol', 'dave', 'erin')
WORDS = ('cache', 'queue', 'payment', 'session', 'index', 'mailer')


def nginx_line(rng: random.Random, moment: datetime) -> str:
    path = rng.choice(PATHS).format(n=rng.randrange(1, 99999), h=f'{rng.getrandbits(32):08x}')
    if rng.random() < 0.3:
        path += f'?page={rng.randrange(1, 50)}'
    status = rng.choices((200, 201, 304, 404, 499, 500, 502), (70, 5, 10, 8, 2, 3, 2))[0]
    return (f'10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)} - - '
            f'[{moment:%d/%b/%Y:%H:%M:%S} +0000] "{rng.choice(("GET", "GET", "POST", "PUT"))} {path} HTTP/1.1" '
            f'{status} {rng.randrange(0, 50000)} "-" "{rng.choice(AGENTS)}"')


def mixed_event(rng: random.Random, moment: datetime) -> list[str]:
    kind = rng.choices(('nginx', 'json', 'logfmt', 'syslog', 'python', 'java', 'go'), (40, 20, 12, 12, 8, 5, 3))[0]
    iso = moment.isoformat(timespec='milliseconds').replace('+00:00', 'Z')
    n = rng.randrange(1, 100000)
    if kind == 'nginx':
        return [nginx_line(rng, moment)]
    if kind == 'json':
        level = rng.choice(('info', 'info', 'warn', 'error', 'debug'))
        return [json.dumps({'time': iso, 'level': level, 'msg': f'{rng.choice(WORDS)} refreshed in {n}ms',
                            'user': rng.choice(USERS), 'request_id': f'{rng.getrandbits(64):016x}'},
                           separators=(',', ':'))]
    if kind == 'logfmt':
        return [f'time={iso} level={rng.choice(("info", "warn", "error"))} msg="job finished" '
                f'job={rng.choice(WORDS)} duration={n}ms attempts={n % 5}']
    if kind == 'syslog':
        return [f'{moment:%b %d %H:%M:%S} web-{n % 9} sshd[{n}]: Failed password for {rng.choice(USERS)} '
                f'from 10.0.{n % 256}.{n % 199} port {n} ssh2']
    stamp = f'{moment:%Y-%m-%d %H:%M:%S},{moment.microsecond // 1000:03d}'
    if kind == 'python':
        return [f'{stamp} ERROR [orders.api] order {n} failed for {rng.choice(USERS)}',
                'Traceback (most recent call last):',
                '  File "/srv/app/orders/views.py", line 88, in create',
                '    total = price(order)',
                '  File "/srv/app/orders/pricing.py", line 12, in price',
                '    return order.items[0].amount',
                f'IndexError: list index out of range ({n})']
    if kind == 'java':
        return [f'{stamp} ERROR [http-nio-8080-exec-{n % 20}] com.shop.OrderService: checkout {n} failed',
                f'java.lang.IllegalStateException: cart {n} is closed',
                '\tat com.shop.OrderService.checkout(OrderService.java:142)',
                '\tat com.shop.web.CartController.post(CartController.java:57)',
                '\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:897)',
                'Caused by: java.sql.SQLTimeoutException: timeout after 3000ms',
                '\tat org.postgresql.jdbc.PgStatement.execute(PgStatement.java:415)',
                '\t... 3 more']
    return [f'{moment:%Y/%m/%d %H:%M:%S} worker {n} started',
            'panic: runtime error: invalid memory address or nil pointer dereference',
            f'[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x{n:x}]',
            '',
            'goroutine 1 [running]:',
            f'main.handle(0xc0000{n % 9999:04d})',
            '\t/src/worker/main.go:42 +0x1d',
            'main.main()',
            '\t/src/worker/main.go:17 +0x25',
            'exit status 2']


def lines(kind: str, count: int, seed: int = 7) -> Iterator[str]:
    rng = random.Random(seed)
    moment = START
    produced = 0
    while produced < count:
        moment += timedelta(milliseconds=rng.randrange(0, 40))
        batch = [nginx_line(rng, moment)] if kind == 'nginx' else mixed_event(rng, moment)
        for line in batch[: count - produced]:
            yield line
            produced += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('kind', choices=('mixed', 'nginx'))
    parser.add_argument('lines', type=int)
    parser.add_argument('out', type=Path)
    args = parser.parse_args()
    with args.out.open('w', encoding='utf-8') as out:
        out.writelines(f'{line}\n' for line in lines(args.kind, args.lines))


if __name__ == '__main__':
    main()
