"""A rendered claim cut into segments at its timestamps. Pure: no Django.

Each timestamp marks the span of text before it (back to the previous timestamp): that span
and the timestamp's link are wrapped in one `<span class="seg">`, and its plain text becomes
the timestamp's segment. Timestamps with only punctuation or "and" between them share one
segment and one span.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from apps.reader.markdown import plain_text
from apps.reader.timestamps import MARKER

SEGMENT_OPEN = '<span class="seg" data-segment>'

# What may stand between two timestamps that share one segment: punctuation, brackets, "and".
_GLUE = re.compile(r"(?:[\s,;:.\-\u2013\u2014/&|()\[\]]|\band\b|\bto\b)*")
# Characters stripped off the ends of pieces of text between timestamps.
_LEADING_PUNCTUATION = " \t\n.,;:!?)]»”。、\uff0c\u2013\u2014"
_OPENING_DECORATION = " \t\n(["
_SEGMENT_TRAILING = " ,;:\u2013\u2014-"

_TAG_OR_TEXT = re.compile(r"(<[^<>]+>)")
_TAG_NAME = re.compile(r"<(/?)([a-z]+)")
_EMPTY_ELEMENT = re.compile(
    r"<(strong|em|code|del|sub|sup)></\1>"
    r"|<span class=\"wikilink\" data-target-slug=\"[^\"]*\"></span>"
    r"|<a href=\"[^\"]*\" rel=\"noopener nofollow\"></a>"
)

Chunk = str | tuple[str, str]  # text with tags, or ("anchor" | "open" | "close", a tag)
_OPEN = ("open", SEGMENT_OPEN)
_CLOSE = ("close", "</span>")


def assemble(
    rendered: str, stamps: list[tuple[int, int]], link: Callable[[int], str]
) -> tuple[str, str, list[str]]:
    """Wrap each segment and its timestamp links (`link(seconds)`) in a span; return the
    html, the plain text and each timestamp's segment."""
    if not stamps:
        return rendered, plain_text(rendered), []
    pieces = rendered.split(MARKER)
    # Bold text or a link around a timestamp (a piece with unpaired tags) needs its tags
    # closed and reopened around the span and link, which `_balance` does on chunks;
    # otherwise the pieces join as they are.
    balance = "<" in rendered and _has_unpaired_tags(pieces)
    out: list[Chunk] = []
    text_parts: list[str] = []
    segments: list[str] = []
    taken = 0  # closing brackets at the start of the next piece already used by a group
    for group in _groups(pieces, len(stamps)):
        lead, before, body, closing, taken = _segment_bounds(pieces, group, taken)
        text_parts.append(lead)
        text_parts.append(body)
        if balance:
            out += _balanced_chunks(lead, before, pieces, group, stamps, link, closing)
        else:
            links = _links(pieces, group, stamps, link)
            out.append(f"{lead}{SEGMENT_OPEN}{before}{links}{closing}</span>")
        segment = plain_text(body).rstrip(_SEGMENT_TRAILING)
        if len(group) == 1:
            segments.append(segment)
        else:
            segments += [segment] * len(group)
    tail = pieces[-1][taken:] if taken else pieces[-1]
    out.append(tail)
    text_parts.append(tail)
    # Each body has no trailing space and each following piece keeps its leading one, so the
    # text reads "code. The model", with no space where a timestamp was taken out.
    text = plain_text("".join(text_parts))
    return (_balance(out) if balance else "".join(out)), text, segments


def _groups(pieces: list[str], count: int) -> list[list[int]]:
    """The timestamps (by index) in groups that share a segment: glued together."""
    groups: list[list[int]] = []
    for index in range(count):
        piece = pieces[index]
        if index and _GLUE.fullmatch(plain_text(piece) if "<" in piece else piece):
            groups[-1].append(index)
        else:
            groups.append([index])
    return groups


def _has_unpaired_tags(pieces: list[str]) -> bool:
    return any(
        "<" in piece and piece.count("<") != 2 * piece.count("</") + piece.count("<br>")
        for piece in pieces
    )


def _segment_bounds(
    pieces: list[str], group: list[int], taken: int
) -> tuple[str, str, str, str, int]:
    """Where a group's segment starts and ends: the punctuation before it (which stays
    outside the span), its text, that text without an opening bracket at its end, the
    closing brackets after the group's last timestamp (inside the span) and their length."""
    first = group[0]
    before = pieces[first][taken:] if taken else pieces[first]
    lead = ""
    if first:
        rest = before.lstrip(_LEADING_PUNCTUATION)
        lead, before = before[: len(before) - len(rest)], rest
    body = before.rstrip(_OPENING_DECORATION)
    after = pieces[group[-1] + 1]
    taken = len(after) - len(after.lstrip(")]")) if after[:1] in (")", "]") else 0
    return lead, before, body, after[:taken], taken


def _links(
    pieces: list[str], group: list[int], stamps: list[tuple[int, int]], link: Callable[[int], str]
) -> str:
    """A group's timestamp links, with what stands between them."""
    joined = link(stamps[group[0]][0])
    if len(group) > 1:
        joined += "".join(pieces[index] + link(stamps[index][0]) for index in group[1:])
    return joined


def _balanced_chunks(
    lead: str,
    before: str,
    pieces: list[str],
    group: list[int],
    stamps: list[tuple[int, int]],
    link: Callable[[int], str],
    closing: str,
) -> list[Chunk]:
    """A segment span as chunks for `_balance`: the span and each link marked as such."""
    chunks: list[Chunk] = [lead, _OPEN, before, ("anchor", link(stamps[group[0]][0]))]
    for index in group[1:]:
        chunks += [pieces[index], ("anchor", link(stamps[index][0]))]
    chunks += [closing, _CLOSE]
    return chunks


def _balance(chunks: list[Chunk]) -> str:
    """Join chunks so every segment span and timestamp link stands outside the inline tags
    open around it: they are closed before it and opened again after it."""
    out: list[str] = []
    stack: list[tuple[str, str]] = []
    for chunk in chunks:
        if isinstance(chunk, tuple):
            out.extend(f"</{name}>" for name, _ in reversed(stack))
            out.append(chunk[1])
            out.extend(tag for _, tag in stack)
        elif "<" not in chunk:
            out.append(chunk)
        else:
            _balance_tags(chunk, out, stack)
    out.extend(f"</{name}>" for name, _ in reversed(stack))
    result = "".join(out)
    while _EMPTY_ELEMENT.search(result):
        result = _EMPTY_ELEMENT.sub("", result)
    return result


def _balance_tags(chunk: str, out: list[str], stack: list[tuple[str, str]]) -> None:
    """Copy a chunk's text and tags to `out`, keeping `stack` of the tags left open."""
    for part in _TAG_OR_TEXT.split(chunk):
        name_match = _TAG_NAME.match(part) if part.startswith("<") else None
        if name_match is None:
            out.append(part)
        elif name_match.group(1):
            name = name_match.group(2)
            if any(open_name == name for open_name, _ in stack):
                while stack:
                    open_name, _ = stack.pop()
                    out.append(f"</{open_name}>")
                    if open_name == name:
                        break
        elif name_match.group(2) == "br" or part.endswith("/>"):
            out.append(part)
        else:
            stack.append((name_match.group(2), part))
            out.append(part)
