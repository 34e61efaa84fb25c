"""Controls that only work with JavaScript are sent hidden; a static module shows them."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from tests.annotations.factories import make_user
from tests.pages.test_views import elements, seed_like_episode

pytestmark = pytest.mark.django_db


def needs_js(response) -> list[tuple[str, dict[str, str | None]]]:
    return elements(response, "data-needs-js")


class _ShownButtons(HTMLParser):
    """The `type="button"` buttons neither hidden themselves nor inside a hidden element."""

    VOID = frozenset(
        {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
    )

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, bool]] = []  # each open element, and whether it is hidden
        self.shown: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        hidden = "hidden" in attributes or any(inside for _, inside in self.open)
        if tag == "button" and attributes.get("type") == "button" and not hidden:
            self.shown.append(attributes)
        if tag not in self.VOID:
            self.open.append((tag, hidden))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return


def shown_script_buttons(response) -> list[dict[str, str | None]]:
    parser = _ShownButtons()
    parser.feed(response.content.decode())
    return parser.shown


def test_episode_page_sends_the_controls_that_need_javascript_hidden(client) -> None:
    episode = seed_like_episode()
    client.force_login(make_user())

    controls = needs_js(client.get(episode.get_absolute_url()))

    assert [
        (tag, attrs.get("data-follow", "-"), attrs.get("data-shortcuts", "-"))
        for tag, attrs in controls
        if "data-clip-claim" not in attrs
    ] == [
        ("div", "-", "-"),  # the player's controls
        ("button", None, "-"),
        ("details", "-", None),
        ("kbd", "-", "-"),
    ]
    # A Clip button on each of the three timed claims (the intro paragraph has no time).
    assert [tag for tag, attrs in controls if "data-clip-claim" in attrs] == ["button"] * 3
    assert all("hidden" in attrs for _, attrs in controls)


def test_every_page_loads_the_module_that_shows_them(client) -> None:
    episode = seed_like_episode()

    response = client.get(episode.get_absolute_url())

    scripts = [attrs["src"] for tag, attrs in elements(response, "src") if tag == "script"]
    assert "/static/js/needs_js.js" in scripts
    module = Path(settings.BASE_DIR, "static/js/needs_js.js").read_text(encoding="utf-8")
    assert 'querySelectorAll("[data-needs-js]")' in module
    assert "control.hidden = false" in module


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/channels/dwarkesh/",
        "/episodes/Wo95ob_s_NI/",
        "/search/?q=training",
        "/notes/",
        "/notes/import/",
        "/accounts/tokens/",
    ],
)
def test_no_page_shows_a_script_button_before_its_script_runs(client, path: str) -> None:
    seed_like_episode()
    client.force_login(make_user())

    response = client.get(path)

    assert response.status_code == 200
    buttons = [attrs for tag, attrs in elements(response, "type") if tag == "button"]
    assert any(b["type"] == "button" for b in buttons) or path != "/episodes/Wo95ob_s_NI/"
    assert shown_script_buttons(response) == []


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/"])
def test_sign_in_and_up_have_only_form_buttons(client, path: str) -> None:
    response = client.get(path)

    buttons = [attrs for tag, attrs in elements(response, "type") if tag == "button"]
    assert [b["type"] for b in buttons] == ["submit"]
