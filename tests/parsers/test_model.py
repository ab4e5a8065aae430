from datetime import UTC, datetime

import pytest

from parsers import Analysis, Excerpt, Group, analyze_lines
from parsers.model import SCHEMA_VERSION

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
