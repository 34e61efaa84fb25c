"""HTML without the indentation of its templates, for the pieces a page repeats by hundreds.

The templates are indented to be read; a browser reads a run of whitespace between words
or tags as one space, or as nothing where one is not drawn. So a run that starts at a line's
end shows the same as the line's end alone, and the episode page's claims and notes, kept
once and sent to every reader, are kept without the rest of the run: a twentieth of a busy
page's bytes. Where whitespace is shown as written (`pre`, `textarea`) or is a program's
(`script`, `style`), the text is left as it is.
"""

from __future__ import annotations

import re

from django.utils.safestring import SafeData, mark_safe

_AS_WRITTEN_OR_RUN = re.compile(
    r"(<(pre|textarea|script|style)\b.*?</\2\s*>)|\n\s+", re.DOTALL | re.IGNORECASE
)


def unindented(html: str) -> str:
    """`html` with each run of whitespace that starts at a line's end cut to the line's end,
    except inside `pre`, `textarea`, `script` and `style` elements. HTML marked safe stays so."""
    squeezed = _AS_WRITTEN_OR_RUN.sub(_kept_or_line_end, html)
    return mark_safe(squeezed) if isinstance(html, SafeData) else squeezed


def _kept_or_line_end(match: re.Match) -> str:
    return match[1] or "\n"
