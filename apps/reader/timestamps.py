"""Every way the seed documents write a moment of the video, read into seconds. Pure.

`mark_timestamps` replaces each timestamp in a block's text by `MARKER` and returns the
seconds and line of each: the canonical `<a class="yt-timestamp" data-t="00:01:09">[00:01:09]</a>`
(read in one fast pass when a block holds nothing else), and the forms the generator also
left: `data-t` as MM:SS, H:MM:SS or whole seconds, labels that disagree with `data-t` (which
wins), broken tags, bare `[00:12:34]`, `[00:02:56](#t=00:02:56)`, `[[slug | 00:06:18]]`,
ranges and lists in one bracket, placeholders (skipped). Whatever needed repair or was
skipped is reported through `context.warn`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from apps.reader.slugs import slugify
from apps.reader.timecode import format_timecode
from apps.reader.times import (
    ONE_TIME,
    PLACEHOLDER,
    TIME,
    check_label,
    is_placeholder,
    list_times,
    read_time,
    read_times,
)

if TYPE_CHECKING:
    from apps.reader.inline import InlineContext

# Stands where a timestamp was: a private-use character no document contains.
MARKER = "\ue000"

# Outside a timestamp tag a time in brackets must look like one: two digits after each colon.
_BRACKET_TIME = r"(?:\d{1,3}:\d\d(?::\d\d){0,2}|" + PLACEHOLDER + ")"
_TIME_LIST = rf"{_BRACKET_TIME}(?:\s*(?:[-\u2013\u2014,]|to|and)\s*{_BRACKET_TIME})*"
_RANGE_SEPARATOR = re.compile(r"[-\u2013\u2014]|\bto\b")
_BETWEEN_TIMES = re.compile(rf"{TIME}(.*?){TIME}", re.S)
# An <a> tag, however broken: closed by "</a>" after a short label, or running into "</a>"
# without its ">", or closed by a stray ">" after its label, or not closed at all.
_ANCHOR = rf"<a\b[^<>]*(?:>[^<\n]{{0,80}}?</a\s*>|</a\s*>|>(?:\[{TIME}\]>?)?)?"

# Where a timestamp may begin; `_TOKEN` then reads it. (Searching with `_TOKEN` itself would
# try every alternative at every character: each alternative here starts with a plain
# character, which lets the regex engine skip to the candidates.)
_BRACKET_STARTS = (
    r"\[\[[^\[\]|\n<>]*\|\s*(?:<a\b|(?:[\[(]\s*)?(?:Reference\s+|at\s+)?[\dHM])"
    r"|\[(?<!\">\[)\s*[\dHM]"  # not the label of a canonical timestamp
)
_TOKEN_START = re.compile(rf"<a\b|{_BRACKET_STARTS}")
_CANONICAL_BODY = r' class="yt-timestamp" data-t="(\d\d:\d\d:\d\d)">\[(\d\d:\d\d:\d\d)\]</a>'
_CANONICAL = re.compile("<a" + _CANONICAL_BODY)
_CANONICAL_START = '<a class="yt-timestamp" data-t="'
# Whether a block holds any timestamp but the canonical ones.
_OTHER_TOKEN_START = re.compile(rf"<a\b(?!{_CANONICAL_BODY})|{_BRACKET_STARTS}")
_TOKEN = re.compile(
    "|".join(
        (
            # [00:21:00](<a class="yt-timestamp" data-t="00:21:00">[00:21:00]</a>)
            rf"(?P<linked>\[\s*(?P<linked_times>{_TIME_LIST})\s*\]\(\s*(?P<linked_anchor>{_ANCHOR})\s*\)?)",
            # <a class="yt-timestamp" data-t="00:01:09">[00:01:09]</a> and its broken forms
            rf"(?P<anchor>{_ANCHOR})",
            # [[slug | [00:02:25]]], [[slug | 00:06:18]], [[slug | (Reference 00:01:22)]]
            rf"(?P<wiki>\[\[\s*(?P<wiki_slug>[^\[\]|\n<>]+?)\s*\|\s*\[?\(?\s*(?:Reference\s+|at\s+)?"
            rf"(?P<wiki_times>{_TIME_LIST})\s*\)?\]?\s*\]\])",
            # "[[slug | " left open in front of a timestamp
            rf"(?P<dangling>\[\[\s*(?P<dangling_slug>[^\[\]|\n<>]+?)\s*\|\s*(?=\[\s*{TIME}|<a\b))",
            # [00:02:56](#t=00:02:56), [00:00:38](https://...), [01:08:00]( )
            rf"(?P<link>\[\s*(?P<link_times>{_TIME_LIST})\s*\]\((?:\s*|[^\s()<>]*)\))",
            # [00:12:34], [00:12:34-00:15:00], [00:29:28, 00:30:31]
            rf"(?P<bare>\[\s*(?P<bare_times>{_TIME_LIST})\s*\])",
        )
    )
)
_DATA_T = re.compile(r"data-t\s*=\s*[\"']?([^\"'<>]*)")
_WELL_FORMED_ANCHOR = re.compile(
    r"<a\s+class=([\"'])yt-timestamp\1\s+data-t=([\"'])[^\"'<>]*\2\s*>[^<]*</a\s*>"
)

# Text may lose its space before a skipped timestamp when one of these follows it.
_AFTER_DROPPED = frozenset(("", " ", "\n", ".", ",", ";", ":", "!", "?", ")"))


def mark_timestamps(
    source: str, start: int, line_numbers: list[int], context: InlineContext
) -> tuple[str, list[tuple[int, int]]]:
    """Replace each timestamp from `start` on by a marker; return the text and the stamps as
    (seconds, line)."""
    text = source[start:] if start else source
    if "<a" not in text and ":" not in text:
        return text, []
    newlines = source.count("\n", 0, start) if start else 0
    last = len(line_numbers) - 1
    canonical = text.count(_CANONICAL_START)
    if not canonical:
        return _mark_other_timestamps(text, newlines, line_numbers, context)
    # Only canonical timestamps, the form nearly all take, are split out in one pass into
    # text, then the two groups of each match (data-t and label), then text again. Counting
    # tells cheaply when there can be nothing else: no other tag, no other bracket.
    pieces = _CANONICAL.split(text)
    if len(pieces) != 3 * canonical + 1 or (
        (text.count("<a") != canonical or text.count("[") != canonical)
        and _OTHER_TOKEN_START.search(text)
    ):
        return _mark_other_timestamps(text, newlines, line_numbers, context)
    multiline = "\n" in text
    out: list[str] = []
    stamps: list[tuple[int, int]] = []
    for index in range(0, len(pieces), 3):
        piece = pieces[index]
        out.append(piece)
        if multiline:
            newlines += piece.count("\n")
        if index + 2 < len(pieces):
            value, shown = pieces[index + 1], pieces[index + 2]
            line = line_numbers[min(newlines, last)]
            if shown == value and value[3] < "6" and value[6] < "6":
                seconds = int(value[:2]) * 3600 + int(value[3:5]) * 60 + int(value[6:])
            else:
                seconds = _read_canonical(value, shown, line, context)
            stamps.append((seconds, line))
            out.append(MARKER)
    return "".join(out), stamps


def _read_canonical(value: str, shown: str, line: int, context: InlineContext) -> int:
    """Seconds of a canonical timestamp (HH:MM:SS in data-t, the same in brackets)."""
    seconds = int(value[:2]) * 3600 + int(value[3:5]) * 60 + int(value[6:])
    if value[3] >= "6" or value[6] >= "6":
        context.warn(line, read_time(value)[1])
    if shown != value:
        check_label(shown, seconds, value, line, context)
    return seconds


def _mark_other_timestamps(
    text: str, newlines: int, line_numbers: list[int], context: InlineContext
) -> tuple[str, list[tuple[int, int]]]:
    """`mark_timestamps` for every form but the canonical one; `newlines` counts the line
    breaks before `text` in its block."""
    parts: list[str] = []
    stamps: list[tuple[int, int]] = []
    copied = scan = counted = 0
    last = len(line_numbers) - 1
    while (found := _TOKEN_START.search(text, scan)) is not None:
        at = found.start()
        newlines += text.count("\n", counted, at)
        counted = at
        line = line_numbers[min(newlines, last)]
        match = _CANONICAL.match(text, at) if text.startswith("<a c", at) else None
        if match is not None:
            times, written = [_read_canonical(*match.groups(), line, context)], ""
        else:
            match = _TOKEN.match(text, at)
            read = _token_times(match, line, context) if match is not None else None
            if read is None:
                # No timestamp here, or an ordinary link or tag the renderer reduces to text.
                scan = at + 1 if match is None else match.end()
                continue
            times, written = read
        before = text[copied:at]
        if not times and text[match.end() : match.end() + 1] in _AFTER_DROPPED:
            before = before.rstrip(" ")  # no double space where a skipped timestamp stood
        parts.append(before)
        parts.append(_markers(match.group(0), times, written))
        stamps.extend((seconds, line) for seconds in times)
        copied = scan = match.end()
    if not parts:
        return text, stamps
    parts.append(text[copied:])
    return "".join(parts), stamps


def _token_times(
    match: re.Match, line: int, context: InlineContext
) -> tuple[list[int], str] | None:
    """The seconds a `_TOKEN` match marks and the times as written (to join their markers
    alike); None when it is no timestamp at all."""
    kind = match.lastgroup
    if kind == "dangling":
        context.warn(line, f'unclosed wiki link "[[{match.group("dangling_slug")} |" dropped')
        return [], ""
    if kind == "anchor" or kind == "linked":
        anchor = match.group("anchor") if kind == "anchor" else match.group("linked_anchor")
        times = _anchor_times(anchor, line, context)
        if times is None and kind == "linked":
            times = list_times(match.group("linked_times"), line, context)
        elif times is None:
            return None
        data = _DATA_T.search(anchor)
        return times, data.group(1) if data else anchor
    written = match.group(f"{kind}_times")
    times = list_times(written, line, context)
    if kind == "wiki":
        slug = slugify(match.group("wiki_slug").split("#")[0])
        if slug:
            context.links.append((slug, written.strip(), line))
    return times, written


def _markers(token: str, times: list[int], written: str) -> str:
    """What stands for a token: a marker per time, joined as they were written."""
    # The token's line breaks stay, so positions after it still map to the right line.
    breaks = "\n" * token.count("\n") if "\n" in token else ""
    if len(times) > 1:
        return breaks + _separator(written).join(MARKER for _ in times)
    return breaks + MARKER if times else breaks


def _separator(written: str) -> str:
    """How to join several times written together: a dash for a range, else a comma."""
    between = _BETWEEN_TIMES.search(written)
    return "\u2013" if between and _RANGE_SEPARATOR.search(between.group(1)) else ", "


def _anchor_times(anchor: str, line: int, context: InlineContext) -> list[int] | None:
    """Seconds an <a> tag marks (data-t wins over the label); None when it is no timestamp."""
    opening, _, label = anchor.partition(">")
    data = _DATA_T.search(opening)
    if data is None and "timestamp" not in opening and not ONE_TIME.search(anchor):
        return None
    if data is not None:
        value = data.group(1).strip()
        written = [value] if value.isascii() and value.isdigit() else ONE_TIME.findall(value)
        real = [item for item in written if not is_placeholder(item)]
        if real:
            times = read_times(real, line, context)
            label_times = ONE_TIME.findall(label)
            if times and label_times:
                check_label(label_times[0], times[0], value, line, context)
            if times and not _WELL_FORMED_ANCHOR.fullmatch(anchor):
                context.warn(line, f"malformed timestamp tag read as {format_timecode(times[0])}")
            return times
    # No readable data-t: the first time written elsewhere in the tag (its label, a broken
    # attribute such as `data-00:04:37`).
    elsewhere = label if data is not None else anchor
    found = [item for item in ONE_TIME.findall(elsewhere) if not is_placeholder(item)]
    if found:
        times = read_times(found[:1], line, context)
        if times and data is not None:
            context.warn(
                line,
                f'timestamp data-t "{data.group(1).strip()}" unreadable; '
                f"label read as {format_timecode(times[0])}",
            )
        elif times:
            context.warn(line, f"malformed timestamp tag read as {format_timecode(times[0])}")
        return times
    placeholders = ONE_TIME.findall(anchor)
    if placeholders:
        context.warn(line, f'timestamp placeholder "{placeholders[0]}" skipped')
    else:
        written = data.group(1).strip() if data is not None else anchor
        context.warn(line, f'timestamp "{shorten(written)}" not understood; skipped')
    return []


def shorten(value: str, limit: int = 60) -> str:
    """A value as warnings quote it: one line, cut with an ellipsis."""
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"
