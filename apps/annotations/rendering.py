"""Note bodies: Markdown in, HTML that is safe to put in the page out.

Two walls, so that one mistake is not enough: markdown-it-py with raw HTML off (`js-default`)
escapes whatever HTML a note contains, and nh3 then keeps only an allow-list of tags and
attributes, so no script, event handler, `javascript:` URL, style or `hx-*` attribute can
reach the page. Headings become bold paragraphs (a note must not break the page's outline) and
images become links (a note must not make the page fetch from other hosts).

A note is rendered once, when it is saved (`Annotation.save`), never when it is shown. Even so,
a body must not cost the writer's request (or an import of thousands) long: markdown-it-py
reads every `[` as a possible link or image and looks ahead for its `]`, again for each `[`
still open, so brackets left open cost quadratically. `render_budget_problem` bounds them,
counted in the text itself, so the same body is always accepted or always refused.
"""

from __future__ import annotations

import re
from html import escape, unescape

import nh3
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

from apps.reader.inline import SAFE_URL_SCHEMES

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "em", "hr", "li", "ol", "p", "pre", "s", "strong",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
LINK_REL = "noopener nofollow ugc"

# The rendering budget: every "[" in a note, and those open at once in one paragraph.
MAX_BRACKETS = 200
MAX_OPEN_BRACKETS = 20
# A tag as nh3 writes it: attribute values double-quoted, where a ">" may be left unescaped.
_TAG = re.compile(r'<(?:[^>"]|"[^"]*")*>')
# A bracket, or a blank line (which ends a paragraph, and with it every open bracket).
_BRACKET_OR_BLANK_LINE = re.compile(r"[\[\]]|\n[ \t]*\n")


def _heading_open(renderer, tokens, index, options, env) -> str:
    return "<p><strong>"


def _heading_close(renderer, tokens, index, options, env) -> str:
    return "</strong></p>\n"


def _image(renderer, tokens, index, options, env) -> str:
    token = tokens[index]
    source = token.attrGet("src") or ""
    text = renderer.renderInlineAsText(token.children or [], options, env) or source
    return f'<a href="{escape(source)}">{escape(text)}</a>'


def _markdown() -> MarkdownIt:
    markdown = MarkdownIt("js-default")
    markdown.add_render_rule("heading_open", _heading_open)
    markdown.add_render_rule("heading_close", _heading_close)
    markdown.add_render_rule("image", _image)
    return markdown


_MARKDOWN = _markdown()


def render_budget_problem(body: str) -> str | None:
    """Why `body` would cost too much to render, in words for its author; None if it would not."""
    brackets = body.count("[")
    if brackets > MAX_BRACKETS:
        return (
            f'A note may hold up to {MAX_BRACKETS} opening brackets "[" (links and images '
            f"included); this one has {brackets:,}."
        )
    if _most_open_brackets(body) > MAX_OPEN_BRACKETS:
        return (
            f'Close your brackets: up to {MAX_OPEN_BRACKETS} "[" may be open at once in a '
            'paragraph before a "]" closes them.'
        )
    return None


def _most_open_brackets(body: str) -> int:
    # Counted in the whole text, code included: it may refuse a little more than it must,
    # never less.
    most = depth = 0
    for match in _BRACKET_OR_BLANK_LINE.finditer(body):
        mark = match.group()
        if mark == "[":
            depth += 1
            most = max(most, depth)
        elif mark == "]":
            depth = max(depth - 1, 0)
        else:
            depth = 0
    return most


def plain_text(body_html: str) -> str:
    """What a reader of a rendered note (its `body_html`) reads: its words, without markup.

    What Markdown marks up (emphasis, links, images, headings, lists, quotes, code) is only
    tags there: a link keeps its text but not its address, an image its description (its
    address where it has none, as the page shows it). Blocks end in a line break in the HTML,
    so removing the tags joins no two words. Read from the stored HTML because it is rendered
    already: parsing the Markdown again costs more.
    """
    return unescape(_TAG.sub("", body_html)).strip()


def render_markdown(body: str) -> SafeString:
    """A note's Markdown source as sanitised HTML; over the budget, its text as written.

    The writers refuse a body over the budget; one written before the budget was (or by a
    path that skips the services) is still shown, as plain paragraphs, at no cost.
    """
    if render_budget_problem(body) is not None:
        return mark_safe(linebreaks(body, autoescape=True))
    html = _MARKDOWN.render(body)
    # Safe to mark: nh3 has just reduced it to the allow-list above.
    return mark_safe(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=set(SAFE_URL_SCHEMES),
            link_rel=LINK_REL,
            strip_comments=True,
        )
    )
