"""What a person reads first about a group: its title, and the values that fill its template's wildcards.

Both are read from the group's kept example, so analyses saved before titles existed get them too, and a shared,
redacted view titles its groups with the redacted text.
"""

from __future__ import annotations

from parsers.fingerprint import fingerprint
from parsers.masking import WILDCARD
from parsers.model import Group


def group_title(group: Group) -> str:
    """The exception and its message for a crash (`java.lang.NullPointerException: Cannot invoke ...`), rather
    than the log line above the trace, which often says little (`o.a.c.c.C.[.[.[/].[dispatcherServlet] : ...`);
    the template otherwise."""
    if not group.exception:
        return group.template
    lines = group.example.split('\n')
    crash = fingerprint(lines)
    if crash is not None and crash.type == group.exception:
        return crash.title
    # The example was condensed around another exception of the chain: any line naming this one will do.
    named = [line.strip() for line in lines if group.exception in line]
    return named[-1] if named else group.template


def slot_values(template: str, line: str) -> list[str] | None:
    """The text in `line` that each wildcard of `template` stands for, in order; None when they do not line up.

    The template is the message's words joined by single spaces, and the message ends the line, so its words are
    the line's last ones (the first may carry a header glued to it); each template word is then matched against
    its line word. A line whose words do not
    line up (a quoted value with spaces became one wildcard) gives None rather than a wrong guess.
    """
    if WILDCARD not in template:
        return []
    wanted = template.split(' ')
    words = line.split()
    if len(words) < len(wanted):
        return None
    words = words[len(words) - len(wanted):]
    # A header glued to the message (`...|Step_LSC|30002312|onStandStepChanged 3579`) ends in its first word.
    head = wanted[0].partition(WILDCARD)[0]
    if head and not words[0].startswith(head) and head in words[0]:
        words[0] = words[0][words[0].rindex(head):]
    values: list[str] = []
    for pattern, word in zip(wanted, words, strict=True):
        found = _word_values(pattern, word)
        if found is None:
            return None
        values += found
    return values


def _word_values(pattern: str, word: str) -> list[str] | None:
    # Literal pieces are matched leftmost, the last one at the word's end: linear, with no regular expression for
    # hostile input to make backtrack.
    pieces = pattern.split(WILDCARD)
    if len(pieces) == 1:
        return [] if word == pattern else None
    if len(word) < len(pieces[0]) + len(pieces[-1]) or not word.startswith(pieces[0]) or not word.endswith(
            pieces[-1]):
        return None
    values: list[str] = []
    at = len(pieces[0])
    end = len(word) - len(pieces[-1])
    for piece in pieces[1:-1]:
        found = word.find(piece, at, end)
        if found < 0:
            return None
        values.append(word[at:found])
        at = found + len(piece)
    values.append(word[at:end])
    return values


def example_values(group: Group) -> list[str] | None:
    """The values of the group's first event for its template's wildcards, when they can be told."""
    first_line = group.example.partition('\n')[0]
    values = slot_values(group.template, first_line)
    if values is None and group.exception:  # a crash titled by its exception line rather than its first line
        values = slot_values(group.template, group_title(group))
    return values
