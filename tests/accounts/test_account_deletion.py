"""Deleting an account: what stays (public notes, if chosen, under "a former member"; others'
replies) and what is gone at once, found nowhere afterwards: pages, kept pieces of pages, the
API, search, exports and the timeline."""

from __future__ import annotations

import json

import pytest
from axes.models import AccessLog
from django.contrib.auth.models import User
from django.test import Client

from apps.accounts.closing import FORMER_MEMBER
from apps.accounts.models import ApiToken
from apps.accounts.tokens import api_token_create, user_for_key
from apps.annotations.models import Annotation
from apps.search.models import SearchDocument
from tests.accounts.test_account_page import sign_in
from tests.annotations.factories import PASSWORD, make_annotation, make_user
from tests.episodes.factories import make_article, make_claim, make_episode
from tests.pages.test_views import elements, page_text

pytestmark = pytest.mark.django_db

VIDEO = "closingvid1"
PUBLIC_WORD, PRIVATE_WORD, REPLY_WORD, OWN_REPLY_WORD = (
    "zebracorn",
    "okapisecret",
    "wombatreply",
    "quokkareply",
)


@pytest.fixture
def leaving():
    """Ada, who leaves: a public note (with Bea's reply), a private one, a reply of her own to
    Bea's note, a token and two sessions; and Bea, who stays."""
    episode = make_episode(video_id=VIDEO, title="Closing time")
    claim = make_claim(make_article(episode, title="An article"), text="A claim", seconds=[61])
    ada, bea = make_user("ada"), make_user("bea")
    public = make_annotation(
        ada, claim=claim, seconds=61, body=f"Public {PUBLIC_WORD}", visibility="public"
    )
    private = make_annotation(ada, claim=claim, seconds=61, body=f"Private {PRIVATE_WORD}")
    bea_note = make_annotation(bea, claim=claim, seconds=62, body="Bea's note", visibility="public")
    reply = Annotation.objects.create(
        author=bea,
        episode=episode,
        claim=claim,
        seconds=61,
        parent=public,
        body=f"Reply {REPLY_WORD}",
        visibility="public",
    )
    own_reply = Annotation.objects.create(
        author=ada,
        episode=episode,
        claim=claim,
        seconds=62,
        parent=bea_note,
        body=f"Reply {OWN_REPLY_WORD}",
        visibility="public",
    )
    _, key = api_token_create(user=ada, name="laptop")
    sessions = Client(), Client()
    for client in sessions:
        assert sign_in(client, "ada")
    bea_client = Client()
    assert sign_in(bea_client, "bea")
    return {
        "ada": ada, "bea": bea, "episode": episode, "public": public, "private": private,
        "reply": reply, "own_reply": own_reply, "key": key, "sessions": sessions,
        "bea_client": bea_client,
    }  # fmt: skip


def everything_readable(reader: Client) -> str:
    """The text of every place a note of Ada's could show to `reader` but search, which
    repeats the words asked for (see `found`)."""
    episode = f"/episodes/{VIDEO}/"
    places = [
        reader.get(episode),
        reader.get(f"{episode}?t=61"),
        reader.get(f"{episode}timeline/"),
        reader.get(f"{episode}notes.md"),
        reader.get("/notes/"),
        reader.get("/notes/export.jsonld"),
        reader.get(f"/api/annotations?episode={VIDEO}&limit=500"),
    ]
    return "\n".join(response.content.decode() for response in places)


def search_hits(reader: Client, word: str) -> list[dict]:
    return reader.get(f"/api/search?q={word}").json()["items"]


def found(reader: Client, word: str) -> tuple[int, int]:
    """How many hits /search/ and /api/search give `reader` for `word`."""
    page = reader.get(f"/search/?q={word}")
    counts = [attrs["data-search-count"] for _, attrs in elements(page, "data-search-count")]
    return int(counts[0]) if counts else 0, len(search_hits(reader, word))


def delete_account(client: Client, public_notes: str, password: str = PASSWORD):
    return client.post(
        "/accounts/delete/", {"public_notes": public_notes, "password": password}, follow=True
    )


def test_the_deletion_page_says_what_will_happen(leaving) -> None:
    response = leaving["sessions"][0].get("/accounts/delete/")

    text = page_text(response)
    assert "Deleting ada cannot be undone" in text
    assert "your 3 notes, except the public ones you choose to keep below, are deleted" in text
    assert "your 1 API token stop working" in text
    assert "Your 2 public notes" in text
    assert 'Keep them for readers, shown as by "a former member"' in text
    assert "Replies others wrote to your notes stay readable either way" in text


def test_a_wrong_password_or_no_choice_deletes_nothing(leaving) -> None:
    client = leaving["sessions"][0]

    wrong = delete_account(client, "delete", password="not it")
    unchosen = client.post("/accounts/delete/", {"password": PASSWORD})

    assert "That is not your password." in page_text(wrong)
    assert "This field is required." in page_text(unchosen)
    assert User.objects.filter(username="ada").exists()
    assert Annotation.objects.filter(author=leaving["ada"]).count() == 3


def test_deletion_attempts_are_rate_limited(leaving, settings, rate_clock) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_check": {"user": "2/m"}}
    client = leaving["sessions"][0]

    statuses = [delete_account(client, "delete", "guess").status_code for _ in range(3)]
    refused = delete_account(client, "delete")

    assert statuses == [200, 200, 429]
    assert "Too many password attempts for now" in page_text(refused)
    assert User.objects.filter(username="ada").exists()


def warm_every_cache(leaving) -> None:
    """Every page Ada's notes are on, rendered once for each kind of reader, so that kept
    pieces and kept notes would show if they outlived the notes."""
    for reader in (Client(), leaving["bea_client"]):
        assert PUBLIC_WORD in everything_readable(reader)
        assert found(reader, PUBLIC_WORD) == (1, 1)


def test_deleting_everything_leaves_nothing_of_theirs_readable_or_searchable(leaving) -> None:
    warm_every_cache(leaving)
    ada_session, other_session = leaving["sessions"]

    done = delete_account(ada_session, "delete")

    assert "Your account is deleted." in page_text(done)
    assert not User.objects.filter(username="ada").exists()
    for reader in (Client(), leaving["bea_client"], ada_session):
        seen = everything_readable(reader)
        for word in (PUBLIC_WORD, PRIVATE_WORD, OWN_REPLY_WORD):
            assert word not in seen
            assert found(reader, word) == (0, 0)
        assert ">ada<" not in seen and '"ada"' not in seen
    for note in ("private", "own_reply"):
        pk = leaving[note].pk
        assert Client().get(f"/notes/{pk}/").status_code == 404
        assert leaving["bea_client"].get(f"/api/annotations/{pk}").status_code == 404
    # The public note had Bea's reply: its page is the thread's placeholder, empty.
    thread = Client().get(f"/notes/{leaving['public'].pk}/").content.decode()
    assert PUBLIC_WORD not in thread and ">ada<" not in thread and REPLY_WORD in thread
    assert leaving["bea_client"].get(f"/api/annotations/{leaving['public'].pk}").status_code == 404
    assert not SearchDocument.objects.filter(author_id=leaving["ada"].pk).exists()
    assert search_hits(leaving["bea_client"], PUBLIC_WORD) == []
    # Gone at once: the token and the other session.
    assert user_for_key(leaving["key"]) is None
    assert not ApiToken.objects.exists()
    assert other_session.get("/accounts/").status_code == 302
    # Where and when the account signed in is forgotten too.
    assert not AccessLog.objects.filter(username="ada").exists()
    assert AccessLog.objects.filter(username="bea").exists()


def test_others_replies_stay_readable_under_the_deleted_notes_placeholder(leaving) -> None:
    delete_account(leaving["sessions"][0], "delete")

    reply = Client().get(f"/api/annotations/{leaving['reply'].pk}").json()
    placeholder = Annotation.objects.get(pk=leaving["public"].pk)

    assert reply["body"] == f"Reply {REPLY_WORD}"
    assert reply["author"] == "bea"
    assert reply["parent"] == placeholder.pk
    assert placeholder.deleted and placeholder.body == "" and placeholder.body_html == ""
    assert placeholder.author.get_username() == FORMER_MEMBER
    assert [hit["id"] for hit in search_hits(Client(), REPLY_WORD)] == [leaving["reply"].pk]
    # Ada's reply went with her, and Bea's note, which it answered, is as it was.
    assert Client().get(f"/api/annotations/{leaving['own_reply'].pk}").status_code == 404
    assert Client().get(f"/api/annotations/{leaving['reply'].pk}").status_code == 200


def test_keeping_public_notes_shows_them_by_a_former_member_and_nothing_else(leaving) -> None:
    warm_every_cache(leaving)

    delete_account(leaving["sessions"][0], "keep")

    public = Client().get(f"/api/annotations/{leaving['public'].pk}").json()
    assert public["author"] == FORMER_MEMBER
    assert public["body"] == f"Public {PUBLIC_WORD}"
    assert Client().get(f"/api/annotations/{leaving['own_reply'].pk}").json()["author"] == (
        FORMER_MEMBER
    )
    for reader in (Client(), leaving["bea_client"]):
        seen = everything_readable(reader)
        assert PUBLIC_WORD in seen and OWN_REPLY_WORD in seen
        assert PRIVATE_WORD not in seen
        assert found(reader, PUBLIC_WORD) == (1, 1)
        assert found(reader, PRIVATE_WORD) == (0, 0)
        assert ">ada<" not in seen and '"ada"' not in seen
        assert FORMER_MEMBER in page_text(reader.get(f"/episodes/{VIDEO}/"))
    assert [hit["id"] for hit in search_hits(Client(), PUBLIC_WORD)] == [leaving["public"].pk]
    assert search_hits(Client(), PRIVATE_WORD) == []
    assert Client().get(f"/api/annotations/{leaving['private'].pk}").status_code == 404
    assert not User.objects.filter(username="ada").exists()
    assert not SearchDocument.objects.filter(author_id=leaving["ada"].pk).exists()


def test_a_former_member_cannot_be_signed_in_as_or_signed_up_for(leaving) -> None:
    signup = {"username": FORMER_MEMBER, "password1": PASSWORD, "password2": PASSWORD}
    before = Client().post("/accounts/signup/", signup)
    delete_account(leaving["sessions"][0], "keep")
    former = User.objects.get(username=FORMER_MEMBER)

    signed = Client().post(
        "/accounts/login/", {"username": FORMER_MEMBER, "password": ""}, follow=True
    )
    after = Client().post("/accounts/signup/", signup)

    assert not former.is_active and not former.has_usable_password()
    assert "_auth_user_id" not in signed.client.session
    assert "Enter a valid username" in page_text(before)
    assert "A user with that username already exists." in page_text(after)
    assert User.objects.filter(username=FORMER_MEMBER).count() == 1


def test_two_people_leaving_share_one_former_member(leaving) -> None:
    delete_account(leaving["sessions"][0], "keep")
    carl = make_user("carl")
    make_annotation(carl, episode=leaving["episode"], seconds=5, body="Carl's", visibility="public")
    client = Client()
    sign_in(client, "carl")

    delete_account(client, "keep")

    former = User.objects.get(username=FORMER_MEMBER)
    assert sorted(Annotation.objects.filter(author=former).values_list("body", flat=True)) == [
        "Carl's",
        f"Public {PUBLIC_WORD}",
        f"Reply {OWN_REPLY_WORD}",
    ]


def test_the_w3c_export_of_a_kept_note_names_a_former_member(leaving) -> None:
    delete_account(leaving["sessions"][0], "keep")

    response = Client().get(
        f"/api/annotations/{leaving['public'].pk}", HTTP_ACCEPT="application/ld+json"
    )

    assert json.loads(response.content)["creator"]["nickname"] == FORMER_MEMBER
