"""An episode a person not trusted with content adds is unlisted until confirmed: its page
and notes work by its address for everyone, but the home page, channels, search and
GET /api/episodes show it only to whoever added it, until an import of a document about the
video or staff (the admin) confirm it. Staff, and people allowed to import, add it listed."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from apps.episodes.models import Episode
from apps.ingest.importer import import_paths
from tests.annotations.factories import make_annotation, make_user
from tests.episodes.test_adding import bearer, post_json
from tests.ingest.seed_files import document, write

pytestmark = pytest.mark.django_db

VIDEO = "dQw4w9WgXcQ"
SPOOF = "Official: Seeknotes has moved to evil.example"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def listed_titles(client: Client, **headers) -> tuple[str, list[str]]:
    """The home page's HTML and the titles GET /api/episodes lists, as `client` reads them."""
    home = client.get("/").content.decode()
    items = client.get("/api/episodes", **headers).json()["items"]
    return home, [item["title"] for item in items]


def test_a_title_typed_by_a_new_member_is_not_published_to_everyone() -> None:
    eve = make_user("eve")  # signed up a minute ago: no permission of any kind
    added = signed_in(eve).post("/episodes/new/", {"url": VIDEO, "title": SPOOF})

    episode = Episode.objects.get(video_id=VIDEO)
    assert added.status_code == 302
    assert added["Location"] == f"/episodes/{VIDEO}/"
    assert (episode.listed, episode.added_by, episode.title) == (False, eve, SPOOF)
    for reader in (Client(), signed_in(make_user("bob"))):
        home, titles = listed_titles(reader)
        assert SPOOF not in home
        assert SPOOF not in titles
    # The person who added it finds it in their lists, and anyone may open it by its address.
    home, titles = listed_titles(signed_in(eve))
    assert SPOOF in home
    assert titles == [SPOOF]
    page = Client().get(f"/episodes/{VIDEO}/")
    assert page.status_code == 200
    assert "Unlisted: added by a member and not yet confirmed" in page.content.decode()
    assert Client().get(f"/api/episodes/{VIDEO}").json()["video_id"] == VIDEO


def test_the_api_adds_unlisted_for_a_member_and_lists_it_only_to_them() -> None:
    eve = make_user("eve")
    answer = post_json(Client(), "/api/episodes", {"url": VIDEO, "title": SPOOF}, **bearer(eve))

    assert answer.status_code == 201
    assert Episode.objects.get(video_id=VIDEO).listed is False
    assert listed_titles(Client())[1] == []
    assert listed_titles(Client(), **bearer(make_user("bob")))[1] == []
    assert listed_titles(Client(), **bearer(eve))[1] == [SPOOF]


@pytest.mark.parametrize("who", ["staff", "importer"])
def test_staff_and_people_allowed_to_import_add_it_listed(who) -> None:
    person = make_user(who)
    if who == "staff":
        person.is_staff = True
        person.save(update_fields=["is_staff"])
    else:
        person.user_permissions.add(Permission.objects.get(codename="import_documents"))
    signed_in(person).post("/episodes/new/", {"url": VIDEO, "title": "Never Gonna"})

    episode = Episode.objects.get(video_id=VIDEO)
    assert (episode.listed, episode.added_by, episode.title) == (True, person, "Never Gonna")
    home, titles = listed_titles(Client())
    assert "Never Gonna" in home
    assert titles == ["Never Gonna"]


class _OEmbedAnswer(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *args):
        return False


def test_with_oembed_a_member_s_episode_takes_youtube_s_title_not_the_typed_one(
    settings, monkeypatch
) -> None:
    settings.SEEKNOTES_OEMBED_URL = "http://oembed.invalid/oembed"
    answer = json.dumps({"title": "Rick Astley - Never Gonna Give You Up"}).encode()
    monkeypatch.setattr("apps.episodes.adding.urlopen", lambda *a, **k: _OEmbedAnswer(answer))

    signed_in(make_user("eve")).post("/episodes/new/", {"url": VIDEO, "title": SPOOF})

    assert Episode.objects.get(video_id=VIDEO).title == "Rick Astley - Never Gonna Give You Up"


def test_when_oembed_says_nothing_the_typed_title_stands_in(settings, monkeypatch) -> None:
    settings.SEEKNOTES_OEMBED_URL = "http://oembed.invalid/oembed"
    monkeypatch.setattr("apps.episodes.adding.urlopen", lambda *a, **k: _OEmbedAnswer(b"{}"))

    signed_in(make_user("eve")).post("/episodes/new/", {"url": VIDEO, "title": "Mine"})

    assert Episode.objects.get(video_id=VIDEO).title == "Mine"


def test_an_import_of_a_document_about_it_confirms_it_under_the_document_s_title(
    tmp_path: Path,
) -> None:
    eve = make_user("eve")
    signed_in(eve).post("/episodes/new/", {"url": VIDEO, "title": SPOOF})
    write(tmp_path, "rick.md", document("Never Gonna Give You Up", VIDEO, "Rick", "A claim"))

    import_paths([tmp_path])

    episode = Episode.objects.get(video_id=VIDEO)
    assert (episode.listed, episode.title) == (True, "Never Gonna Give You Up")
    home, titles = listed_titles(Client())
    assert titles == ["Never Gonna Give You Up"]
    assert SPOOF not in home


def test_staff_confirm_it_in_the_admin() -> None:
    signed_in(make_user("eve")).post("/episodes/new/", {"url": VIDEO, "title": "Fine title"})
    episode = Episode.objects.get(video_id=VIDEO)
    assert "Unlisted" in Client().get(f"/episodes/{VIDEO}/").content.decode()  # kept now
    staff = make_user("staff")
    staff.is_staff = staff.is_superuser = True
    staff.save(update_fields=["is_staff", "is_superuser"])

    changes = signed_in(staff).post(
        "/admin/episodes/episode/", {"action": "confirm", "_selected_action": [episode.pk]}
    )

    assert changes.status_code == 302
    assert Episode.objects.get(pk=episode.pk).listed is True
    assert listed_titles(Client())[1] == ["Fine title"]
    assert "Unlisted" not in Client().get(f"/episodes/{VIDEO}/").content.decode()


def test_notes_work_on_it_but_search_and_the_home_page_show_them_only_to_its_adder() -> None:
    eve, bob = make_user("eve"), make_user("bob")
    signed_in(eve).post("/episodes/new/", {"url": VIDEO, "title": SPOOF})
    episode = Episode.objects.get(video_id=VIDEO)
    written = post_json(
        Client(),
        "/api/annotations",
        {"episode": VIDEO, "seconds": 30, "body": "zebra moment", "visibility": "public"},
        **bearer(bob),
    )
    make_annotation(eve, episode=episode, seconds=40, body="zebra too", visibility="public")

    def found(**headers) -> list[str]:
        items = Client().get("/api/search", {"q": "zebra"}, **headers).json()["items"]
        return sorted(item["snippet"] for item in items)

    assert written.status_code == 201
    # Nor do its notes bring it onto the home page's "recently annotated" for others.
    assert SPOOF not in Client().get("/").content.decode()
    assert SPOOF not in signed_in(bob).get("/").content.decode()
    assert found() == []
    assert found(**bearer(bob)) == []
    assert found(**bearer(eve)) == ["zebra moment", "zebra too"]
