"""What a file that is not a text log is, in words, from its magic number ("a PNG image", "a ZIP archive")."""

from __future__ import annotations

# filetype knows the signatures of about 90 binary formats, pure Python; this module only names them for a person.
import filetype
from filetype.types import APPLICATION, ARCHIVE, AUDIO, DOCUMENT, FONT, IMAGE, VIDEO

# filetype files these among its archives; a person knows them by what they are.
_NAMED = {
    'pdf': 'a PDF document',
    'exe': 'a Windows program (EXE)',
    'elf': 'a program (ELF executable)',
    'sqlite': 'an SQLite database',
    'rtf': 'an RTF document',
    'ps': 'a PostScript document',
    'eot': 'an EOT font',
    'swf': 'a Flash movie',
    'dcm': 'a DICOM medical image',
}
_NOUNS = ((IMAGE, 'image'), (VIDEO, 'video'), (AUDIO, 'audio file'), (FONT, 'font'), (DOCUMENT, 'document'),
          (ARCHIVE, 'archive'), (APPLICATION, 'program'))
# Letters whose spoken name starts with a vowel sound: "an MP4 video", "an SVG", but "a PNG image".
_AN_LETTERS = 'AEFHILMNOSX'


def binary_kind(head: bytes) -> str | None:
    """'a PNG image', 'a TAR archive'... for the first bytes of a file in a known binary format, else None."""
    found = filetype.guess(head)
    if found is None:
        return None
    extension = str(found.extension)
    if extension in _NAMED:
        return _NAMED[extension]
    noun = next((noun for group, noun in _NOUNS if found in group), 'file')
    name = extension.upper()
    return f'{"an" if name[0] in _AN_LETTERS else "a"} {name} {noun}'

