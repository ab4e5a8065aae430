"""Log understanding: pure functions from bytes to grouped, summarized events."""

from parsers.engine import EventSink, Progress
from parsers.entry_points import analyze_lines, analyze_stream
from parsers.export import LinesCsv
from parsers.incidents import rank, shows_failure, top_incidents
from parsers.model import ERROR_LEVELS, LEVELS, Activity, Analysis, Bucket, Excerpt, Group, Segment
from parsers.reader import InputError, ReadLimits

__all__ = [
    'ERROR_LEVELS', 'LEVELS', 'Activity', 'Analysis', 'Bucket', 'EventSink', 'Excerpt', 'Group', 'InputError',
    'LinesCsv', 'Progress', 'ReadLimits', 'Segment', 'analyze_lines', 'analyze_stream', 'rank', 'shows_failure',
    'top_incidents',
]
