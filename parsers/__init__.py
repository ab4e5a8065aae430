"""Log understanding: pure functions from bytes to grouped, summarized events."""

from parsers.engine import analyze_lines, analyze_stream
from parsers.model import ERROR_LEVELS, LEVELS, Analysis, Group
from parsers.reader import InputError, ReadLimits

__all__ = ['ERROR_LEVELS', 'LEVELS', 'Analysis', 'Group', 'InputError', 'ReadLimits', 'analyze_lines', 'analyze_stream']
