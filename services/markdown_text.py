"""Markdown the product writes: text, code spans and code blocks from a log or a model that cannot turn into markup."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

# What starts emphasis, links, HTML, entities, headings' closing marks, table cells or code in inline text.
_SPECIALS = re.compile(r'([\\`*_\[\]<>&#|~!])')
_BACKTICKS = re.compile(r'`+')
_UNESCAPED_LT = re.compile(r'(?<!\\)((?:\\\\)*)<')  # a `<` after an even number of backslashes
# CommonMark with GitHub's tables: how exported Markdown is read.
_PARSER = MarkdownIt('commonmark', {'html': True}).enable('table')


def escape_text(text: str) -> str:
    """Inline text that reads as itself: one line, every Markdown and HTML special escaped."""
    return _SPECIALS.sub(r'\\\1', ' '.join(text.splitlines()))


def code_span(text: str, *, in_table: bool = False) -> str:
    """A code span that holds `text` whole: its backtick fence is longer than any run of backticks inside."""
    text = ' '.join(text.splitlines())
    fence = '`' * (_longest_backticks(text) + 1)
    if in_table:  # a table cell ends at a bare `|`, even inside code
        text = text.replace('|', '\\|')
    # Spaces inside the fences, removed again by the reader, let the text start or end with a backtick.
    return f'{fence} {text} {fence}'


def fenced(text: str, info: str = 'text') -> str:
    """A fenced code block that no line of `text` can close."""
    fence = '`' * max(3, _longest_backticks(text) + 1)
    return f'{fence}{info}\n{text}\n{fence}'


def html_as_text(markdown: str) -> str:
    """Markdown (a model's answer) in which raw HTML reads as text: in every block where a CommonMark reader finds
    HTML, each `<` is escaped. Blocks without HTML are left exactly as written."""
    lines = markdown.split('\n')
    while spans := [token.map for token in _PARSER.parse('\n'.join(lines)) if token.map and _holds_html(token)]:
        for start, end in spans:
            for number in range(start, end):
                lines[number] = _UNESCAPED_LT.sub(r'\1\\<', lines[number])
    return '\n'.join(lines)


def _longest_backticks(text: str) -> int:
    return max((len(run) for run in _BACKTICKS.findall(text)), default=0)


def _holds_html(token: Token) -> bool:
    children = token.children or []
    return token.type == 'html_block' or any(child.type == 'html_inline' for child in children)
