"""Audit events: who signed in, failed to, registered, left, or used an API key, on the `logsentry.audit` logger.

Each event is one INFO record whose message reads on its own and whose `audit` attribute holds the same fields for
a structured formatter. Fields are ids, addresses and digests only: never a password, token, key or email address.
"""

from __future__ import annotations

import logging

AUDIT_LOGGER = 'logsentry.audit'

log = logging.getLogger(AUDIT_LOGGER)


def audit(event: str, **fields: str | int | None) -> None:
    """Record one event; fields that are None are left out."""
    kept = {name: value for name, value in fields.items() if value is not None}
    words = ' '.join(f'{name}={value}' for name, value in kept.items())
    log.info('%s %s', event, words, extra={'audit': {'event': event, **kept}})
