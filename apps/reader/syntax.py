"""What the lines of a document body look like, block by block. Pure: no Django.

The patterns are shared by `blocks.py`, which reads the block structure, and `cleanup.py`,
which repairs a body before it is read; each matches a stripped line.
"""

from __future__ import annotations

import re

Line = tuple[int, str]  # (1-based line number in the original file, text)

FENCE = re.compile(r"(`{3,}|~{3,})[ \t]*([^`]*?)[ \t]*$")
MARKDOWN_FENCE = re.compile(r"(`{3,}|~{3,})[ \t]*(?:markdown|md)[ \t]*$", re.I)
HEADING = re.compile(r"(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
RULE = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
TABLE_SEPARATOR = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
CALLOUT = re.compile(r"\[!([\w-]+)\][-+]?[ \t]*(.*)$")
ADMONITION_TITLE = re.compile(r"title:[ \t]*(.*)$", re.I)
