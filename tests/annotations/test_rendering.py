from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from apps.annotations.rendering import (
    ALLOWED_TAGS,
    MAX_BRACKETS,
    plain_text,
    render_budget_problem,
    render_markdown,
)

from .xss_payloads import XSS_PAYLOADS

SAFE_SCHEMES = {"http", "https", "mailto"}
# A URL's scheme as browsers read it, after they drop tabs, newlines and surrounding spaces.
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


def markup(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Markup()
    parser.feed(html)
    return parser.elements


def executable_markup(html: str) -> list[str]:
    """Everything in `html` that could run code or act on the reader's behalf."""
    problems = []
    for tag, attrs in markup(html):
        if tag not in ALLOWED_TAGS:
            problems.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith(("on", "hx-", "data-")) or name in {"style", "src", "srcdoc"}:
                problems.append(f"<{tag} {name}>")
            if name == "href":
                scheme = SCHEME.match("".join((value or "").split()).lower())
                if scheme and scheme.group(1) not in SAFE_SCHEMES:
                    problems.append(f"<{tag} href={value}>")
    return problems


def test_the_corpus_has_at_least_forty_payloads() -> None:
    assert len(XSS_PAYLOADS) >= 40
    assert len(set(XSS_PAYLOADS)) == len(XSS_PAYLOADS)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_rendered_payload_has_no_executable_markup(payload) -> None:
    html = render_markdown(payload)

    assert executable_markup(html) == []


def test_raw_html_is_shown_as_text_not_markup() -> None:
    html = render_markdown('<b onclick="x()">bold?</b>')

    assert html == '<p>&lt;b onclick="x()"&gt;bold?&lt;/b&gt;</p>\n'


def test_links_get_noopener_nofollow_ugc() -> None:
    html = render_markdown("[docs](https://example.org/a?b=1) and <https://example.com>")

    assert markup(html) == [
        ("p", {}),
        ("a", {"href": "https://example.org/a?b=1", "rel": "noopener nofollow ugc"}),
        ("a", {"href": "https://example.com", "rel": "noopener nofollow ugc"}),
    ]


def test_javascript_link_stays_text() -> None:
    assert render_markdown("[x](javascript:alert(1))") == "<p>[x](javascript:alert(1))</p>\n"


def test_headings_become_bold_paragraphs_so_the_page_outline_holds() -> None:
    assert render_markdown("# Big\n\n### Small") == (
        "<p><strong>Big</strong></p>\n<p><strong>Small</strong></p>\n"
    )


def test_images_become_links_so_notes_load_nothing() -> None:
    html = render_markdown("![a chart](https://example.org/chart.png)")

    assert markup(html) == [
        ("p", {}),
        ("a", {"href": "https://example.org/chart.png", "rel": "noopener nofollow ugc"}),
    ]
    assert ">a chart</a>" in html


def test_everyday_markdown_renders() -> None:
    body = "Some *emphasis*, **bold**, ~~gone~~ and `code`.\n\n- one\n- two\n\n> quoted\n\n```\nx < y\n```"

    html = render_markdown(body)

    assert [tag for tag, _ in markup(html)] == [
        "p", "em", "strong", "s", "code", "ul", "li", "li", "blockquote", "p", "pre", "code",
    ]  # fmt: skip
    assert "x &lt; y" in html


def test_tables_render_without_inline_styles() -> None:
    html = render_markdown("| a | b |\n|--:|:--|\n| 1 | 2 |")

    assert [tag for tag, _ in markup(html)] == [
        "table", "thead", "tr", "th", "th", "tbody", "tr", "td", "td",
    ]  # fmt: skip
    assert "style" not in html


# The rendering budget -----------------------------------------------------------------------

TOO_MANY_BRACKETS = 'A note may hold up to 200 opening brackets "[" (links and images included)'
LEFT_OPEN = 'Close your brackets: up to 20 "[" may be open at once in a paragraph'


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("![" * 5000, f"{TOO_MANY_BRACKETS}; this one has 5,000."),
        ("[" * 10000, f"{TOO_MANY_BRACKETS}; this one has 10,000."),
        ("[\n" * 5000, f"{TOO_MANY_BRACKETS}; this one has 5,000."),
        ("[x](y) " * 201, f"{TOO_MANY_BRACKETS}; this one has 201."),
        ("![" * 21, LEFT_OPEN),
        ("[a " * 15 + "]" + "[b " * 7, LEFT_OPEN),
    ],
)
def test_bodies_whose_brackets_cost_too_much_are_over_the_budget(body, problem) -> None:
    assert (render_budget_problem(body) or "").startswith(problem)


@pytest.mark.parametrize(
    "body",
    [
        "[x](https://example.org/x) " * 200,
        "![" * 20,
        ("[" * 20 + "\n\n") * 10,  # a blank line ends a paragraph and its open brackets
        ("[" * 20 + "]" * 20) * 5,
        "*a" * 5000,
        "> " * 5000,
        "[x](https://example.org/" + "a" * 9970 + ")",
    ],
)
def test_bodies_within_the_budget_render_as_markdown(body) -> None:
    assert render_budget_problem(body) is None


def test_a_body_over_the_budget_is_shown_as_its_text_in_plain_paragraphs() -> None:
    # Only rows written before the budget (or past the services) can hold one.
    html = render_markdown("![" * 300 + "\n\n<b>x</b>")

    assert html == f"<p>{'![' * 300}</p>\n\n<p>&lt;b&gt;x&lt;/b&gt;</p>"


def test_plain_text_is_what_a_reader_of_the_note_reads() -> None:
    body = (
        '# A *heading*\n\n> a [link](https://x.example "t>t") and ![an image](https://i.example)'
        "\n\n1. `code` &amp; <b>tags</b>\n   next line\n\n```js\nlet a = 1;\n```"
    )

    assert plain_text(render_markdown(body)) == (
        "A heading\n\na link and an image\n\n\ncode & <b>tags</b>\nnext line\n\nlet a = 1;"
    )


def test_plain_text_of_a_body_over_the_budget_is_the_body_as_written() -> None:
    body = "[" * (MAX_BRACKETS + 1) + " *words* & <b>"

    assert plain_text(render_markdown(body)) == body
