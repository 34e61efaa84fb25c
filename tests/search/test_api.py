"""`/api/search` goes through the same search function, notes included."""

from __future__ import annotations

import pytest

from tests.annotations.factories import make_annotation

pytestmark = pytest.mark.django_db


def test_api_search_returns_claims_and_visible_notes_paginated(client, library, ada, bob) -> None:
    note = make_annotation(
        ada, episode=library.bullets, seconds=15, body="public bullet note", visibility="public"
    )
    make_annotation(bob, episode=library.bullets, seconds=16, body="bob's bullet secret")
    rlhf = library.claim("RLHF")

    everything = client.get("/api/search", {"q": "bullet"}).json()
    page = client.get("/api/search", {"q": "bullet", "limit": 2, "offset": 2}).json()

    assert everything["count"] == page["count"] == 4
    assert page["items"] == everything["items"][2:4]
    assert {
        "kind": "annotation",
        "id": note.pk,
        "episode": "searchvid02",
        "seconds": 15,
        "snippet": "public bullet note",
        "url": f"http://testserver/episodes/searchvid02/?t=15#n{note.pk}",
    } in everything["items"]
    # Titles rank above body text: the claim matching only in its text comes last.
    assert everything["items"][-1] == {
        "kind": "claim",
        "id": rlhf.pk,
        "episode": "searchvid01",
        "seconds": 120,
        "snippet": "Reinforcement learning from human feedback (RLHF) rewards bullet points.",
        "url": f"http://testserver/episodes/searchvid01/?t=120#c{rlhf.pk}",
    }


def test_api_snippets_are_the_text_of_notes_as_on_the_page(client, library, ada) -> None:
    make_annotation(
        ada,
        episode=library.bullets,
        body="## Seen\n\n*now italic* and a [link](https://x.example) `<b>here</b>`",
        visibility="public",
    )

    items = client.get("/api/search", {"q": "link"}).json()["items"]
    https = client.get("/api/search", {"q": "https"}).json()

    assert [item["snippet"] for item in items] == ["Seen now italic and a link <b>here</b>"]
    assert https["count"] == 0
