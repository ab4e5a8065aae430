import io
import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from parsers import Analysis, Excerpt, Group, ReadLimits, analyze_lines, analyze_stream
from parsers.model import SCHEMA_VERSION, first_occurrence

LOG = [
    '2026-01-01 10:00:00 INFO service started',
    '2026-01-01 10:00:01 ERROR Connection refused to db.internal:5432',
    '2026-01-01 10:00:02 ERROR Connection refused to db.internal:5432',
    '2026-01-01 10:00:03 WARN retrying in 5s',
]

# An analysis as saved before the data carried a schema version (and before inferred levels, segments, the
# timeline or group line counts existed): it still opens.
UNVERSIONED = {
    'lines': 3,
    'events': 3,
    'level_counts': {'INFO': 2, 'ERROR': 1},
    'formats': {'log4j': 3},
    'first_timestamp': '2025-06-01T08:00:00+00:00',
    'last_timestamp': '2025-06-01T08:05:00+00:00',
    'groups': [{
        'id': 7, 'template': 'Disk <*> full', 'level': 'ERROR', 'count': 1, 'first_line': 3,
        'example': '2025-06-01 08:05:00 ERROR Disk /var full', 'first_seen': '2025-06-01T08:05:00+00:00',
        'last_seen': None, 'fingerprint': 'abc', 'occurrences': [3],
    }],
}


def test_an_analysis_reads_back_exactly_what_it_wrote() -> None:
    analysis = analyze_lines(LOG)
    data = analysis.to_dict()
    assert data['schema_version'] == SCHEMA_VERSION
    assert Analysis.from_dict(data) == analysis


# tests/fixtures/app.log as versions 1 and 2 saved it (two lines kept before and after each occurrence).
FIXTURES = Path(__file__).resolve().parents[1] / 'fixtures'


def test_an_analysis_saved_at_version_2_opens_as_it_was_and_is_saved_again_smaller() -> None:
    saved = json.loads((FIXTURES / 'analysis_v2.json').read_text())
    assert saved['schema_version'] == 2
    analysis = Analysis.from_dict(saved)
    # Compared with what was saved, not with today's engine: templates may change, saved analyses must not.
    assert [(group.template, group.example, group.context_before, group.last_line, group.activity)
            for group in analysis.groups] == [
        (group['template'], group['example'], group['context_before'], group['last_line'], group['activity'])
        for group in saved['groups']]
    assert [[(excerpt.first_line, excerpt.lines) for excerpt in group.excerpts] for group in analysis.groups] == [
        [(excerpt['first_line'], excerpt['lines']) for excerpt in group['excerpts']] for group in saved['groups']]
    again = analysis.to_dict()
    assert Analysis.from_dict(json.loads(json.dumps(again))) == analysis
    assert len(json.dumps(again)) < len(json.dumps(saved))


def test_an_analysis_saved_at_version_1_opens_with_its_first_occurrences_as_excerpts() -> None:
    saved = json.loads((FIXTURES / 'analysis_v1.json').read_text())
    analysis = Analysis.from_dict(saved)
    assert [(group.template, group.example, group.context_before) for group in analysis.groups] == [
        (group['template'], group['example'], group['context_before']) for group in saved['groups']]
    for group in analysis.groups:
        assert group.excerpts == [first_occurrence(group)]
    assert Analysis.from_dict(json.loads(json.dumps(analysis.to_dict()))) == analysis


def test_a_line_kept_near_several_groups_is_written_once_and_groups_name_line_ranges() -> None:
    analysis = analyze_lines(LOG, ReadLimits(context_lines=2, context_after_lines=2))
    data = analysis.to_dict()
    assert data['kept_lines'] == {str(number): line for number, line in enumerate(LOG, 1)}
    for group in data['groups']:
        assert all(isinstance(excerpt, list) for excerpt in group['excerpts'])
        # Its first occurrence and the lines before it are among the kept lines, so they are not written again.
        assert 'example' not in group and 'context_before' not in group
    assert Analysis.from_dict(json.loads(json.dumps(data))) == analysis


class Pipe(io.BytesIO):
    def seekable(self) -> bool:
        return False


def test_a_first_occurrence_the_kept_lines_do_not_hold_is_written_with_its_group() -> None:
    # A pipe is read once, so no lines are kept beside the groups.
    analysis = analyze_stream(Pipe(('\n'.join(LOG) + '\n').encode()), ReadLimits(context_lines=2))
    data = analysis.to_dict()
    assert data['kept_lines'] == {}
    assert [group['example'] for group in data['groups']] == [group.example for group in analysis.groups]
    assert Analysis.from_dict(json.loads(json.dumps(data))) == analysis


def test_an_excerpt_whose_lines_differ_from_the_kept_ones_keeps_its_own() -> None:
    analysis = analyze_lines(LOG, ReadLimits(context_lines=2, context_after_lines=2))
    first, second = analysis.groups[:2]
    analysis.groups[1] = replace(second, excerpts=[Excerpt(1, ['another text of line 1'])])
    data = analysis.to_dict()
    assert data['groups'][1]['excerpts'] == [{'first_line': 1, 'lines': ['another text of line 1']}]
    assert Analysis.from_dict(json.loads(json.dumps(data))).groups[:2] == [first, analysis.groups[1]]


def test_data_naming_a_kept_line_it_does_not_hold_is_refused_with_a_clear_error() -> None:
    data = analyze_lines(LOG, ReadLimits(context_lines=2, context_after_lines=2)).to_dict()
    del data['kept_lines']['1']
    with pytest.raises(ValueError, match='names kept line 1 but does not hold it'):
        Analysis.from_dict(data)


def test_an_analysis_saved_without_a_schema_version_still_opens() -> None:
    analysis = Analysis.from_dict(UNVERSIONED)
    assert (analysis.lines, analysis.events, analysis.formats) == (3, 3, {'log4j': 3})
    assert analysis.first_timestamp == datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
    assert (analysis.timeline, analysis.segments, analysis.inferred_level_counts) == ([], [], {})
    [group] = analysis.groups
    assert group == Group(id=7, template='Disk <*> full', level='ERROR', count=1, first_line=3,
                          example='2025-06-01 08:05:00 ERROR Disk /var full',
                          first_seen=datetime(2025, 6, 1, 8, 5, tzinfo=UTC), fingerprint='abc', occurrences=[3],
                          last_line=3, excerpts=[Excerpt(3, ['2025-06-01 08:05:00 ERROR Disk /var full'])])
    assert [each.template for each in analysis.error_groups] == ['Disk <*> full']


def test_a_group_saved_before_excerpts_shows_its_first_event_and_the_lines_before_it() -> None:
    condensed = '\n'.join(['ERROR boom', 'Traceback (most recent call last):', '[... 40 line(s) left out ...]',
                           'ValueError: bad'])
    group = Group.from_dict({**UNVERSIONED['groups'][0], 'count': 2, 'first_line': 12, 'example': condensed,
                             'context_before': ['a', 'b']})
    # The lines after the marker are not where their place in the example says: they are left out.
    assert group.excerpts == [Excerpt(10, ['a', 'b', 'ERROR boom', 'Traceback (most recent call last):'])]
    assert group.last_line == 0  # one of its two occurrences is not listed: where the last one is, is unknown


def test_a_group_ignores_keys_it_does_not_know() -> None:
    data = {**UNVERSIONED['groups'][0], 'added_by_a_later_version': 1}  # type: ignore[dict-item]
    assert Group.from_dict(data).template == 'Disk <*> full'


def test_data_of_a_newer_schema_is_refused_with_a_clear_error() -> None:
    with pytest.raises(ValueError, match='newer than this LogSentry reads'):
        Analysis.from_dict({**UNVERSIONED, 'schema_version': SCHEMA_VERSION + 1})
