"""The timeline as the server draws it: labels cut at whole words, every row a 24 px target,
and the episode's length on the axis and in the header once it is known."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from apps.pages.timeline import ELLIPSIS, LABEL_REFERENCE_PX, fitted_label
from tests.episodes.factories import make_article, make_claim, make_episode, make_section

TITLE = "Advancements and Future Directions"

pytestmark = pytest.mark.django_db


def is_whole_words_of(label: str, title: str) -> bool:
    """`label` is `title`, nothing, or some of its first words and an ellipsis."""
    if label in {"", title}:
        return True
    if not label.endswith(ELLIPSIS):
        return False
    words = label.removesuffix(ELLIPSIS).split()
    return bool(words) and title.split()[: len(words)] == words


def test_a_label_too_long_for_its_span_ends_on_a_whole_word_and_an_ellipsis() -> None:
    # 35 % of the reference width holds 13 characters.
    assert fitted_label(TITLE, 35) == "Advancements" + ELLIPSIS
    assert fitted_label(TITLE, 50) == "Advancements and" + ELLIPSIS
    assert fitted_label(TITLE, 100) == TITLE


def test_a_span_too_narrow_for_one_word_has_no_label() -> None:
    assert fitted_label(TITLE, 5) == ""


def test_a_cut_label_drops_the_punctuation_it_would_end_on() -> None:
    assert fitted_label("Safety, alignment and rapid progress", 25) == "Safety" + ELLIPSIS
    assert fitted_label('"Middle Ground" learning and introspection', 45) == (
        '"Middle Ground"' + ELLIPSIS
    )


def test_at_any_width_a_label_is_whole_words_and_fits_the_reference_width() -> None:
    for width in (tenth / 10 for tenth in range(1, 1001)):
        label = fitted_label(TITLE, width)

        assert is_whole_words_of(label, TITLE), (width, label)
        assert len(label) * 6.5 <= width / 100 * LABEL_REFERENCE_PX, (width, label)


class TimelineParser(HTMLParser):
    """The drawn spans (title, label, height), the tick and note targets and the axis."""

    def __init__(self) -> None:
        super().__init__()
        self.spans: list[dict] = []
        self.targets: dict[str, dict] = {}
        self.axis: list[tuple[dict, str]] = []
        self._in: tuple[str, dict] | None = None
        self._def: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "tl-span" in attrs.get("class", ""):
            self.spans.append({"title": attrs["data-title"], "text": ""})
        elif tag == "svg" and self.spans and "height" in attrs and "x" in attrs:
            self.spans[-1]["height"] = int(attrs["height"])
        elif tag == "g" and attrs.get("id", "").startswith("tl-"):
            self._def = attrs["id"]
        elif tag == "rect" and self._def:
            self.targets[self._def] = attrs
        elif tag == "text":
            self._in = ("axis", attrs) if "data-share" in attrs else ("span", attrs)

    def handle_endtag(self, tag):
        if tag == "g":
            self._def = None
        if tag == "text":
            self._in = None

    def handle_data(self, data):
        if self._in and self._in[0] == "span":
            self.spans[-1]["text"] += data
        elif self._in:
            self.axis.append((self._in[1], data))


def drawn(client, episode) -> TimelineParser:
    parser = TimelineParser()
    parser.feed(client.get(episode.get_absolute_url()).content.decode())
    return parser


def topical_episode(duration_seconds: int | None = None):
    episode = make_episode()
    if duration_seconds:
        episode.duration_seconds = duration_seconds
        episode.save(update_fields=["duration_seconds"])
    article = make_article(episode, title="Topical")
    for index, (title, seconds) in enumerate(
        [
            ("Understanding Pre-training and Post-training", [60]),
            (TITLE, [90]),
            ("Safety", [1200]),
            ("Generalization and Sample Efficiency", [2400, 2500]),
        ]
    ):
        section = make_section(article, title=title, position=index)
        make_claim(article, section=section, text=f"{title} claim", seconds=seconds)
    return episode


def test_the_drawn_labels_are_whole_words_and_every_row_is_a_24_px_target(client) -> None:
    timeline = drawn(client, topical_episode())

    assert len(timeline.spans) == 4
    for span in timeline.spans:
        assert is_whole_words_of(span["text"], span["title"]), span
        assert span["height"] == 24
    # Of 2550 s: 30 s has room for no word, 1110 s for two, 1200 s for all; 100 s for none.
    assert [span["text"] for span in timeline.spans] == [
        "",
        "Advancements and" + ELLIPSIS,
        "Safety",
        "",
    ]
    for mark in ("tl-tick", "tl-note-mine", "tl-note-public"):
        assert (timeline.targets[mark]["width"], timeline.targets[mark]["height"]) == ("24", "24")


def test_the_axis_ends_on_the_known_length_and_the_header_shows_it(client) -> None:
    episode = topical_episode(duration_seconds=3 * 3600 + 25)
    timeline = drawn(client, episode)

    assert [text for _, text in timeline.axis][-1] == "3:00:25"
    assert "class" not in timeline.axis[-1][0]
    page = client.get(episode.get_absolute_url()).content.decode()
    header = re.search(r"<span data-episode-length>(.*?)</span></span>", page, re.S)
    assert header and "3:00:25" in header.group(1)


def test_without_a_known_length_the_axis_end_is_marked_an_estimate_and_the_header_waits(
    client,
) -> None:
    episode = topical_episode()
    timeline = drawn(client, episode)

    # The last moment (2500 s) plus 2 % (50 s).
    attrs, text = timeline.axis[-1]
    assert (text, attrs.get("class")) == ("\N{ALMOST EQUAL TO}42:30", "is-estimate")
    page = client.get(episode.get_absolute_url()).content.decode()
    assert re.search(r"<span data-episode-length hidden>", page)
