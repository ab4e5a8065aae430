"""Exported Markdown read back by a CommonMark parser: what came from a log or a model is text, never markup."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

from services.diagnosis.analyzer import Diagnosis
from services.diagnosis.offline import OfflineAnalyzer
from services.export import export_markdown
from services.identity import Caller
from services.markdown_text import code_span, escape_text, fenced, html_as_text
from services.store.database import Database
from services.store.saved_analyses import get_analysis, record_diagnosis, save_analysis
from tests.services.store.test_saved_analyses import analyzed

OWNER = Caller(guest_id='browser-md')
FILE_NAME = '<img src=x onerror=alert(1)>` # *bold* [a](javascript:alert(2)) | ```.log #'
HOSTILE_LOG = (
    '2026-01-01 10:00:00 ERROR render failed: ``` <script>alert(3)</script> `x` | y\n'
    '2026-01-01 10:00:01 WARN <b onmouseover=alert(4)>hover</b> in `` double `` ticks\n'
)
READER = MarkdownIt('commonmark', {'html': True}).enable('table')


def tokens(markdown: str) -> list[Token]:
    """Every token, inline ones included, as a Markdown reader sees them."""
    found = []
    for token in READER.parse(markdown):
        found += [token, *(token.children or [])]
    return found


def no_html(markdown: str) -> bool:
    return not [token for token in tokens(markdown) if token.type in ('html_block', 'html_inline')]


def export_of(database: Database, diagnosis: Diagnosis | None) -> tuple[str, list[str]]:
    record = save_analysis(database, owner=OWNER, file_name=FILE_NAME, size_bytes=1, analysis=analyzed(HOSTILE_LOG))
    if diagnosis is not None:
        record_diagnosis(database, analysis_id=record.id, owner=OWNER, group_id=None, diagnosis=diagnosis, seconds=1)
    stored = get_analysis(database, analysis_id=record.id, owner=OWNER)
    assert stored is not None
    return export_markdown(stored), [group['template'] for group in stored.groups]


async def test_hostile_file_names_templates_and_lines_stay_text(database: Database) -> None:
    diagnosis = await OfflineAnalyzer().diagnose(analyzed(HOSTILE_LOG))
    markdown, templates = export_of(database, diagnosis)
    assert no_html(markdown)
    found = tokens(markdown)
    heading = found[found.index(next(token for token in found if token.tag == 'h1')) + 1]
    assert heading.content and ''.join(child.content for child in heading.children or []) == FILE_NAME
    assert '<script>' in templates[0] and '``' in templates[1]
    table = found[found.index(next(token for token in found if token.type == 'table_open')):]
    cells = [token.content for token in table[:table.index(next(t for t in table if t.type == 'table_close'))]
             if token.type == 'code_inline']
    assert cells == templates  # each template is one whole code span: nothing broke out of it
    # The offline diagnosis quotes the line whole too.
    assert any(token.type == 'code_inline' and token.content.endswith('</script> `x` | y') for token in found)
    [example] = [token.content for token in found if token.type == 'fence']
    assert '1 | 2026-01-01 10:00:00 ERROR render failed: ``` <script>alert(3)</script> `x` | y' in example


async def test_raw_html_in_a_model_answer_reads_as_text_in_the_export(database: Database) -> None:
    answer = ('## Summary\nThe page <b onmouseover=alert(5)>hover</b> broke; run `curl <host>` to check.\n\n'
              '<script>alert(6)</script>\n\n## Fix\nRestart `<service>`.')
    markdown, _ = export_of(database, Diagnosis(markdown=answer, model='<i>model</i>'))
    assert no_html(markdown)
    text = ''.join(token.content for token in tokens(markdown) if token.type == 'text')
    assert 'The page <b onmouseover=alert(5)>hover</b> broke' in text and '<script>alert(6)</script>' in text
    assert 'Diagnosis (<i>model</i>)' in text
    assert [token.content for token in tokens(markdown) if token.type == 'code_inline'][-1] == '<service>'


def test_a_model_answer_without_html_is_exported_as_written() -> None:
    answer = '## Fix\n1. Run `kubectl logs <pod>`.\n\n```sh\necho "<b>"\n```\n\n| a | b |\n| - | - |\n| 1 | 2 |'
    assert html_as_text(answer) == answer


def test_code_spans_and_blocks_are_longer_than_any_backtick_run_inside() -> None:
    for text in ('plain', '`', 'a `` b', 'ends with `', '``` x ```` y', '<b> | c'):
        [paragraph] = [token for token in tokens(code_span(text)) if token.type == 'inline']
        assert [(child.type, child.content) for child in paragraph.children or []] == [('code_inline', text)]
        [block] = [token for token in tokens(fenced(f'{text}\n```\n{text}')) if token.type == 'fence']
        assert block.content == f'{text}\n```\n{text}\n'


def test_escaped_text_reads_as_itself() -> None:
    for text in (FILE_NAME, '&amp; <!-- c --> \\<x> ~~s~~ _e_ ![i](u) <https://a.b>', '# not a heading'):
        [paragraph] = [token for token in tokens(escape_text(text)) if token.type == 'inline']
        assert [(child.type, child.content) for child in paragraph.children or []] == [('text', text)]
