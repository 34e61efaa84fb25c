"""The episode page's claims and notes are sent without their templates' indentation, and
whitespace that shows as written stays as it was."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils.safestring import SafeData, mark_safe

from apps.annotations.services import annotation_create
from apps.episodes.models import Claim
from apps.pages.unindented import unindented
from tests.annotations.factories import make_user
from tests.episodes.factories import make_two_claim_episode

pytestmark = pytest.mark.django_db

CODE = "    indented()\n        twice()"


def test_a_run_of_whitespace_after_a_line_end_becomes_the_line_end() -> None:
    html = '<li class="claim">\n      <div>\n\n   \t<span>a\n  b</span>  c\n</div>\n    </li>'

    assert unindented(html) == '<li class="claim">\n<div>\n<span>a\nb</span>  c\n</div>\n</li>'


def test_whitespace_that_shows_as_written_is_left_as_it_is() -> None:
    html = (
        "<div>\n  <PRE class='x'>\n    one\n      two\n</PRE>\n"
        '  <textarea name="body">\n  kept\n    too</textarea>\n'
        "  <script>\n  let a = `\n    b`;\n</script>\n  <style>\n  p {}\n</style >\n</div>"
    )

    assert unindented(html) == (
        "<div>\n<PRE class='x'>\n    one\n      two\n</PRE>\n"
        '<textarea name="body">\n  kept\n    too</textarea>\n'
        "<script>\n  let a = `\n    b`;\n</script>\n<style>\n  p {}\n</style >\n</div>"
    )


def test_text_without_a_line_end_is_unchanged() -> None:
    html = '<p>Two  spaces, a\ttab and <a href="#x">a link</a> </p>'

    assert unindented(html) == html


@pytest.fixture
def noted_episode():
    episode = make_two_claim_episode("unindented1")
    claim = Claim.objects.filter(article__episode=episode).order_by("pk").first()
    author = make_user("author")
    annotation_create(
        author=author,
        episode=episode,
        claim=claim,
        body=f"Look:\n\n```\n{CODE}\n```\n",
        visibility="public",
    )
    return episode, claim, author


def articles_of(html: str) -> str:
    start = html.index("data-article-slug=")
    return html[start : html.index("</article>", html.rindex("data-article-slug="))]


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_episode_pages_claims_and_notes_carry_no_indentation(noted_episode, signed_in):
    episode, claim, author = noted_episode
    client = Client()
    if signed_in:
        client.force_login(author)

    html = client.get(episode.get_absolute_url()).content.decode()

    articles = articles_of(html)
    assert f'data-claim-id="{claim.pk}"' in articles
    assert 'class="note-body"' in articles
    outside_code = re.sub(r"<(pre|textarea)\b.*?</\1>", "", articles, flags=re.DOTALL)
    assert re.findall(r"\n[ \t]+", outside_code) == []
    # The note's code block keeps its indentation.
    assert f"<pre><code>{CODE}\n</code></pre>" in articles


def test_html_marked_safe_stays_safe() -> None:
    assert isinstance(unindented(mark_safe("<p>\n  a</p>")), SafeData)
    assert not isinstance(unindented("<p>\n  a</p>"), SafeData)
