"""Container log wrappers: Docker's json-file records, the CRI lines Kubernetes writes and the `service_1  | `
prefix docker-compose writes, unwrapped."""

from __future__ import annotations

import json
import re

from parsers.levels import LEVEL_WORDS

_CRI = re.compile(r'(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) (?:stdout|stderr) ([FP]) ?(.*)')
_cri = _CRI.match
_compose = re.compile(r'([\w.-]+) +\| ?(.*)').match
_loads = json.loads

# (inner line, wrapper timestamp, True when the record was split and its rest follows)
Unwrapped = tuple[str, str | None, bool]


def unwrap(line: str) -> Unwrapped | None:
    """The line inside a container log record, or None when the line is not one."""
    if line[:7] == '{"log":' or (line[:1] == '{' and '"log"' in line and '"stream"' in line):
        try:
            obj = _loads(line)
        except (ValueError, RecursionError):
            return None
        inner = obj.get('log') if isinstance(obj, dict) else None
        if not isinstance(inner, str):
            return None
        partial = not inner.endswith('\n')
        time = obj.get('time')
        return inner.rstrip('\r\n'), time if isinstance(time, str) else None, partial
    found = _cri(line)
    if found is not None:
        time, tag, inner = found.groups()
        return inner, time, tag == 'P'
    found = _compose(line)
    # A level word in capitals before the bar (`FATAL  | wrapper  | ...`) is a column of the log's own header.
    if found is not None and not (found.group(1).isupper() and found.group(1) in LEVEL_WORDS):
        return found.group(2), None, False
    return None


def service(line: str) -> str:
    """The service a docker-compose line names before its bar (`web_1` in `web_1  | ...`), else ''."""
    found = _compose(line)
    return found.group(1) if found is not None else ''


def name_of(line: str) -> str:
    return 'docker' if line[:1] == '{' else 'cri'
