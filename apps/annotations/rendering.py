"""Note bodies: Markdown in, HTML that is safe to put in the page out.

Two walls, so that one mistake is not enough: markdown-it-py with raw HTML off (`js-default`)
escapes whatever HTML a note contains, and nh3 then keeps only an allow-list of tags and
attributes, so no script, event handler, `javascript:` URL, style or `hx-*` attribute can
reach the page. Headings become bold paragraphs (a note must not break the page's outline) and
images become links (a note must not make the page fetch from other hosts).
"""

from __future__ import annotations

from html import escape

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

from apps.reader.inline import SAFE_URL_SCHEMES

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "em", "hr", "li", "ol", "p", "pre", "s", "strong",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
LINK_REL = "noopener nofollow ugc"


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


def render_markdown(body: str) -> SafeString:
    """A note's Markdown source as sanitised HTML."""
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
