"""The episode page composed from kept pieces is the page rendered from scratch, and never stale."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, override_settings

from apps.annotations.models import Annotation
from apps.annotations.selectors import shown_under_claims
from apps.annotations.services import annotation_create, annotation_delete, annotation_update
from apps.episodes.models import Claim, Episode
from apps.ingest.importer import import_paths
from apps.pages import episode_shell, kept
from apps.pages.episode_pieces import Splice
from apps.pages.unindented import unindented
from tests.annotations.factories import make_user

pytestmark = pytest.mark.django_db

VIDEO_ID = "busyEpisode"
NO_CACHE = {
    alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    for alias in ("default", "notes")
}
_TOKENS = re.compile(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]*"')


def article_text(title: str, slug_word: str, claim_words: str, start: int) -> str:
    lines = [f"---\ntitle: {title}\nvideoId: {VIDEO_ID}\n---\n"]
    for section in range(3):
        lines.append(f"\n## {title}, part {section + 1}\n")
        for number in range(4):
            seconds = start + section * 100 + number * 20
            stamp = f"00:{seconds // 60:02d}:{seconds % 60:02d}"
            lines.append(
                f"- {claim_words} {section}.{number}, see [[{slug_word}]] "
                f'<a class="yt-timestamp" data-t="{stamp}">[{stamp}]</a>'
            )
    return "\n".join(lines) + "\n"


@pytest.fixture
def seeds(tmp_path) -> list[Path]:
    """Two articles of one episode that link to each other, three sections each."""
    first, second = tmp_path / "first_view.md", tmp_path / "second_view.md"
    first.write_text(article_text("First view", "second_view", "A claim", 10), "utf-8")
    second.write_text(article_text("Second view", "first_view", "Another claim", 30), "utf-8")
    report = import_paths([first, second])
    assert report.articles == 2
    return [first, second]


@pytest.fixture
def people(seeds) -> dict[str, object]:
    """Public notes by one person (six on one claim, past what a claim lists), private notes
    by another, and a note at a moment."""
    episode = Episode.objects.get(video_id=VIDEO_ID)
    claims = list(Claim.objects.filter(article__episode=episode).order_by("article", "position"))
    author, other = make_user("author"), make_user("other")
    for number, claim in enumerate(claims[::3]):
        annotation_create(
            author=author,
            episode=episode,
            claim=claim,
            body=f"Public *{number}*",
            visibility="public",
        )
    for number in range(6):
        annotation_create(
            author=author,
            episode=episode,
            claim=claims[1],
            body=f"Many {number}",
            visibility="public",
        )
    for number, claim in enumerate(claims[1::5]):
        annotation_create(author=other, episode=episode, claim=claim, body=f"Private {number}")
    annotation_create(
        author=author, episode=episode, seconds=45, body="At a moment", visibility="public"
    )
    return {"anonymous": None, "reader": make_user("reader"), "author": author, "other": other}


def page(person, path: str = f"/episodes/{VIDEO_ID}/") -> str:
    client = Client()
    if person is not None:
        client.force_login(person)
    response = client.get(path)
    assert response.status_code == 200
    return _TOKENS.sub(r"\1TOKEN\"", response.content.decode())


@pytest.mark.parametrize("query", ["", "?t=100", "?t=100&end=130"])
@pytest.mark.parametrize("reader", ["anonymous", "reader", "author", "other"])
def test_the_composed_page_is_the_page_rendered_with_every_cache_off(
    people, reader, query, monkeypatch
) -> None:
    path = f"/episodes/{VIDEO_ID}/{query}"
    # Kept pieces first made for someone else, so nothing of theirs may show through; and the
    # page at another moment, so that no moment shows through either.
    for someone in people.values():
        page(someone, f"/episodes/{VIDEO_ID}/?t=200&end=230")
        page(someone)
        page(someone, f"/episodes/{VIDEO_ID}/timeline/")

    composed = page(people[reader], path)
    composed_timeline = page(people[reader], f"/episodes/{VIDEO_ID}/timeline/")
    # From scratch: no cache, and the page's shell rendered by the template as it stands
    # rather than with stand-ins for what each request puts in.
    monkeypatch.setattr(episode_shell, "_shell_key", lambda request, context: None)
    with override_settings(CACHES=NO_CACHE):
        from_scratch = page(people[reader], path)
        timeline_from_scratch = page(people[reader], f"/episodes/{VIDEO_ID}/timeline/")

    assert composed == from_scratch
    assert composed_timeline == timeline_from_scratch
    assert composed.count("data-claim-id=") == 24


def note_bodies(html: str) -> list[str]:
    return [body.strip() for body in re.findall(r'<div class="note-body">(.*?)</div>', html, re.S)]


def test_a_notes_edit_shows_on_the_next_request_for_every_reader(people) -> None:
    for person in people.values():
        assert "<p>Public <em>0</em></p>" in note_bodies(page(person))
    note = Annotation.objects.get(body="Public *0*")

    annotation_update(annotation=note, actor=people["author"], body="Edited **now**")

    for name, person in people.items():
        bodies = note_bodies(page(person))
        assert "<p>Edited <strong>now</strong></p>" in bodies, name
        assert "<p>Public <em>0</em></p>" not in bodies, name


def test_a_note_made_private_leaves_everyone_elses_page_at_once(people) -> None:
    for person in people.values():
        page(person)
    note = Annotation.objects.get(body="Public *0*")

    annotation_update(annotation=note, actor=people["author"], visibility="private")

    for name in ("anonymous", "reader", "other"):
        assert f'data-annotation-id="{note.pk}"' not in page(people[name]), name
    mine = page(people["author"])
    assert f'data-annotation-id="{note.pk}"' in mine
    assert 'data-visibility="private"' in mine


def test_a_deleted_note_is_gone_from_the_next_request_for_every_reader(people) -> None:
    for person in people.values():
        page(person)
    note = Annotation.objects.get(body="Public *0*")

    annotation_delete(annotation=note, actor=people["author"])

    for name, person in people.items():
        html = page(person)
        assert f'data-annotation-id="{note.pk}"' not in html, name
        assert f'data-note="{note.pk}"' not in page(person, f"/episodes/{VIDEO_ID}/timeline/")


def test_a_reimported_article_shows_on_the_next_request_for_every_reader(people, seeds) -> None:
    for person in people.values():
        page(person)
        page(person, f"/episodes/{VIDEO_ID}/timeline/")
    seeds[0].write_text(
        seeds[0].read_text("utf-8").replace("A claim 0.0", "A rewritten claim 0.0"), "utf-8"
    )

    import_paths([seeds[0]])

    for name, person in people.items():
        html = page(person)
        assert "A rewritten claim 0.0" in html, name
        assert "A claim 0.0," not in html, name
        timeline = page(person, f"/episodes/{VIDEO_ID}/timeline/")
        assert "A rewritten claim 0.0" in timeline, name


def test_a_claim_that_spells_out_a_notes_list_does_not_receive_notes(people, seeds) -> None:
    # The target's article is not imported again, so the id written in the other stays its id.
    target = Claim.objects.get(text__startswith="A claim 1.1")
    forged = f'<div class="claim-notes" data-annotations-for="{target.pk}"></div>'
    seeds[1].write_text(
        seeds[1].read_text("utf-8").replace("Another claim 0.0", f"Another claim 0.0 {forged}"),
        "utf-8",
    )
    import_paths([seeds[1]])
    annotation_create(
        author=people["author"],
        episode=target.article.episode,
        claim=target,
        body="Only here",
        visibility="public",
    )

    html = page(people["reader"])

    assert Claim.objects.filter(pk=target.pk).exists()
    assert html.count("<p>Only here</p>") == 1


def test_the_authors_kept_note_forms_carry_a_token_this_session_accepts(people) -> None:
    author = people["author"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    client.get(f"/episodes/{VIDEO_ID}/")  # the author's items are kept now
    html = client.get(f"/episodes/{VIDEO_ID}/").content.decode()

    note = Annotation.objects.get(body="Public *0*")
    form = re.search(
        rf'<form method="post" action="/notes/{note.pk}/share/".*?</form>', html, re.S
    )[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    assert "csrf-" not in html  # no stand-in left where a token goes

    response = client.post(
        f"/notes/{note.pk}/share/", {"csrfmiddlewaretoken": token, "visibility": "private"}
    )

    assert response.status_code == 302
    note.refresh_from_db()
    assert note.visibility == "private"


def template_rendered(person, name: str, **values) -> str:
    """A fragment of _annotations.html rendered by the template itself, with full notes,
    without its indentation as the page sends it (`unindented`)."""
    request = RequestFactory().get(f"/episodes/{VIDEO_ID}/")
    request.user = person or AnonymousUser()
    request.session = SessionStore()
    html = unindented(render_to_string(f"annotations/_annotations.html#{name}", values, request))
    return _TOKENS.sub(r"\1TOKEN\"", html).strip()


def full_notes(person, **filters) -> list[Annotation]:
    visible = Annotation.objects.visible_to(person).filter(episode__video_id=VIDEO_ID, **filters)
    return list(visible.select_related("author").with_threads(person).in_page_order())


@pytest.mark.parametrize("reader", ["anonymous", "author", "other"])
def test_a_claims_list_from_kept_items_is_the_template_rendering_it(people, reader) -> None:
    """The lists are put together from kept items into the shape the template writes: the
    same HTML as the template gives from the notes themselves, "Show all" included."""
    person = people[reader]
    page(person)  # the items are kept now
    html = page(person)
    crowded = Annotation.objects.get(body="Many 0").claim
    quiet = Annotation.objects.get(body="Public *1*").claim

    for claim in (crowded, quiet):
        notes = full_notes(person, claim=claim)
        total = len(notes)
        listed = shown_under_claims(
            notes, reader_id=getattr(person, "pk", None), per_claim=settings.NOTES_PER_CLAIM
        ).notes
        fragment = template_rendered(
            person, "claim-notes", claim=claim, annotations=listed, notes_total=total
        )
        assert fragment in html
        assert (f"Show all {total} notes" in fragment) == (total > settings.NOTES_PER_CLAIM)


@pytest.mark.parametrize("reader", ["anonymous", "author"])
def test_the_notes_at_a_moment_from_kept_items_are_the_template_rendering_them(
    people, reader
) -> None:
    person = people[reader]
    episode = Episode.objects.get(video_id=VIDEO_ID)
    for visibility in ("public", "private"):  # before the first claim's moment: on no claim
        annotation_create(
            author=people["author"],
            episode=episode,
            seconds=1,
            body=f"At a moment, {visibility}",
            visibility=visibility,
        )
    page(person)
    html = page(person)

    fragment = template_rendered(
        person, "loose-notes", annotations=full_notes(person, claim__isnull=True)
    )

    assert fragment.count('<li class="note') == (2 if reader == "author" else 1)
    assert fragment in html


def htmx_answer(client: Client, path: str, fields: dict) -> str:
    response = client.post(path, fields, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return _TOKENS.sub(r"\1TOKEN\"", response.content.decode()).strip()


def test_the_answer_to_a_change_is_the_claims_list_the_template_writes(people) -> None:
    """Writing a note and deleting the last one answer with the claim's list put together from
    kept items: the template's own rendering of the notes."""
    author = people["author"]
    client = Client()
    client.force_login(author)
    page(author)  # the page's items are kept now
    crowded = Annotation.objects.get(body="Many 0").claim
    quiet = Annotation.objects.get(body="Public *1*").claim

    def template_list(claim) -> str:
        notes = full_notes(author, claim=claim)
        shown = shown_under_claims(notes, reader_id=author.pk, per_claim=settings.NOTES_PER_CLAIM)
        return template_rendered(
            author, "claim-notes", claim=claim, annotations=shown.notes, notes_total=len(notes)
        )

    # The note just written is drawn as it was written, not read back: it is the same note.
    fields = {"claim": crowded.pk, "body": "Fresh #zebra #apple"}
    written = htmx_answer(client, f"/episodes/{VIDEO_ID}/notes/new/", fields)
    assert "Fresh" in written and "zebra" in written and "Show all 8 notes" in written
    assert written == template_list(crowded)
    assert Annotation.objects.get(body__startswith="Fresh").tag_names == ["zebra", "apple"]

    note = Annotation.objects.get(body="Public *1*")
    made_private = htmx_answer(client, f"/notes/{note.pk}/share/", {"visibility": "private"})
    assert 'data-visibility="private"' in made_private
    assert template_list(quiet) in page(author)  # the page after the change, too

    for note in Annotation.objects.filter(claim=quiet):
        emptied = htmx_answer(client, f"/notes/{note.pk}/delete/", {})
    assert emptied == f'<div class="claim-notes" data-annotations-for="{quiet.pk}"></div>'
    assert emptied == template_list(quiet)


def test_the_kept_note_now_form_carries_a_token_this_session_accepts(people) -> None:
    reader = people["reader"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    client.get(f"/episodes/{VIDEO_ID}/")  # the form is kept now, with another token's place
    html = client.get(f"/episodes/{VIDEO_ID}/").content.decode()

    form = re.search(r"<form [^>]*data-note-now-form.*?</form>", html, re.S)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    assert "csrf-" not in html

    response = client.post(
        f"/episodes/{VIDEO_ID}/notes/new/",
        {"csrfmiddlewaretoken": token, "at": "0:01", "body": "Now then", "visibility": "private"},
    )

    assert response.status_code == 302
    assert Annotation.objects.get(body="Now then").author == reader


def test_a_splice_puts_each_part_where_its_marker_is_and_refuses_a_repeated_one() -> None:
    splice = Splice()
    first, second = splice.mark(b"<p>1</p>"), splice.mark("<p>é</p>".encode())
    left_out = splice.mark(b"<p>never written</p>")

    page = splice.into(f"<main>{second}<hr>{first}</main>")

    assert page == "<main><p>é</p><hr><p>1</p></main>".encode()
    assert b"never written" not in page and str(left_out) not in page.decode()
    with pytest.raises(RuntimeError):
        splice.into(f"{first}{first}")


def test_the_timeline_asked_with_the_lanes_the_page_has_leaves_them_out(people) -> None:
    client = Client()
    client.force_login(people["author"])
    whole = client.get(f"/episodes/{VIDEO_ID}/timeline/").content.decode()
    drawn = re.search(r'data-lanes="([0-9a-f]{16})"', whole)[1]

    without = client.get(f"/episodes/{VIDEO_ID}/timeline/?lanes={drawn}").content.decode()
    stale = client.get(f"/episodes/{VIDEO_ID}/timeline/?lanes=0123456789abcdef").content.decode()

    assert whole.count('class="tl-lane"') == 2
    assert "data-lanes-kept" not in whole
    assert without.count('class="tl-lane"') == 0
    assert "data-lanes-kept" in without
    # All but the lanes is the same drawing: the notes' marks, the axis, the playhead.
    lanes = re.search(r"</defs>(.*?)<g class=\"tl-notes\"", whole, re.S)[1]
    assert 'class="tl-lane"' in lanes
    assert tight(without.replace(" data-lanes-kept", "")) == tight(whole.replace(lanes, "", 1))
    assert whole.count("tl-note--mine") == without.count("tl-note--mine") == 8 + 6 + 1
    # Lanes the page no longer has (the content changed since) are drawn again.
    assert stale == whole


def tight(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


_MARK = re.compile(r'<a class="tl-mark tl-note.*?</a>', re.S)
_NOTES_ROW = re.compile(r'(<g class="tl-notes"[^>]*>)(.*?)(</g>)', re.S)
ON_PAGE = {
    "HTTP_HX_REQUEST": "true",
    "HTTP_HX_CURRENT_URL": f"http://testserver/episodes/{VIDEO_ID}/",
}


def brought_along(answer: str) -> str:
    """The timeline an answer brings out of band, in its template."""
    _notes_list, brought = answer.split("<template>")
    assert brought.endswith("</template>")
    return brought.removesuffix("</template>")


def with_marks_added(timeline: str, marks: str) -> str:
    """`timeline` with the notes' `marks` put in as static/js/timeline.js `addMarks` puts them:
    each after the notes at or before its moment (one already there is replaced)."""
    row = _NOTES_ROW.search(timeline)
    drawn = _MARK.findall(row[2])
    for mark in _MARK.findall(marks):
        note = re.search(r'data-note="(\d+)"', mark)[1]
        drawn = [other for other in drawn if f'data-note="{note}"' not in other]
        later = [mark_seconds(other) > mark_seconds(mark) for other in drawn]
        drawn.insert(later.index(True) if True in later else len(drawn), mark)
    return timeline[: row.start(2)] + "".join(drawn) + timeline[row.end(2) :]


def mark_seconds(mark: str) -> int:
    return int(re.search(r'data-at="(\d+)"', mark)[1])


def test_a_note_that_keeps_the_timelines_shape_brings_its_mark_alone(people) -> None:
    client = Client()
    client.force_login(people["author"])
    timeline_path = f"/episodes/{VIDEO_ID}/timeline/"
    before = client.get(timeline_path).content.decode()
    claim = Annotation.objects.get(body="Public *1*").claim

    fields = {"claim": claim.pk, "body": "Fresh", "visibility": "public"}
    answer = client.post(f"/episodes/{VIDEO_ID}/notes/new/", fields, **ON_PAGE).content.decode()

    assert answer.strip().startswith(f'<div class="claim-notes" data-annotations-for="{claim.pk}"')
    assert "Fresh" in answer.split("<template>")[0]
    brought = brought_along(answer)
    written = Annotation.objects.get(body="Fresh")
    # Only the new note's mark, drawn for the lanes and the length the page has.
    assert brought.startswith('<div class="timeline" id="episode-timeline" hx-swap-oob="true"')
    assert "data-marks-added" in brought and "tl-lane" not in brought and "tl-axis" not in brought
    drawn = re.search(r'data-lanes="([0-9a-f]{16})"', before)[1]
    assert f'data-marks-added="{drawn}"' in brought
    duration = re.search(r'data-duration="(\d+)"', before)[1]
    assert f'data-duration="{duration}"' in brought
    # A page whose script does not know marks-added takes it for other lanes.
    assert 'data-lanes-kept data-lanes=""' in brought
    marks = _MARK.findall(brought)
    assert len(marks) == 1 and f'data-note="{written.pk}"' in marks[0]
    assert f'data-at="{written.seconds}"' in marks[0] and "Your note at " in marks[0]
    # Put in the page's drawing, it gives the timeline the page would have asked for.
    after = client.get(timeline_path).content.decode()
    assert tight(with_marks_added(before, brought)) == tight(after)
    assert after.count("tl-note--mine") == before.count("tl-note--mine") + 1


def test_a_bookmark_that_keeps_the_timelines_shape_brings_its_mark_alone(people) -> None:
    client = Client()
    client.force_login(people["author"])
    timeline_path = f"/episodes/{VIDEO_ID}/timeline/"
    before = client.get(timeline_path).content.decode()

    answer = client.post(f"/episodes/{VIDEO_ID}/mark/", {"seconds": "75"}, **ON_PAGE)

    brought = brought_along(answer.content.decode())
    assert "data-marks-added" in brought and len(_MARK.findall(brought)) == 1
    assert "Marked at 1:15" in brought
    after = client.get(timeline_path).content.decode()
    assert tight(with_marks_added(before, brought)) == tight(after)


@pytest.mark.parametrize(
    "fields",
    [
        # Past the content's last moment, on an episode of unknown length: the drawing grows.
        {"claim": "FIRST", "at": "9:00", "body": "Late"},
        # Before the first claim, on none: its list is the loose notes', read whole.
        {"at": "0:05", "body": "Loose"},
    ],
)
def test_a_note_that_changes_the_timeline_brings_it_whole_without_its_lanes(people, fields) -> None:
    client = Client()
    client.force_login(people["author"])
    episode_path = f"/episodes/{VIDEO_ID}/"
    claim = Claim.objects.filter(article__episode__video_id=VIDEO_ID).order_by("pk").first()
    fields = {**fields, "claim": claim.pk} if "claim" in fields else fields

    answer = client.post(f"{episode_path}notes/new/", fields, **ON_PAGE).content.decode()

    written = Annotation.objects.get(body=fields["body"])
    assert (written.claim_id is None) == ("claim" not in fields)
    brought = brought_along(answer)
    assert "data-marks-added" not in brought and 'class="tl-lane"' not in brought
    assert 'id="episode-timeline" hx-swap-oob="true"' in brought and "data-lanes-kept" in brought
    drawn = re.search(r'data-lanes="([0-9a-f]{16})"', brought)[1]
    asked = client.get(f"{episode_path}timeline/?lanes={drawn}").content.decode()
    assert tight(brought.replace(' hx-swap-oob="true"', "")) == tight(asked)
    assert fields["body"] in asked


def test_a_readers_first_note_with_a_moment_brings_the_whole_timeline(seeds) -> None:
    """Their timeline had no row of notes: it gains one, and the axis moves down."""
    client = Client()
    client.force_login(make_user("newcomer"))
    claim = Claim.objects.filter(article__episode__video_id=VIDEO_ID).order_by("pk").first()
    before = client.get(f"/episodes/{VIDEO_ID}/timeline/").content.decode()
    assert "tl-notes" not in before

    fields = {"claim": claim.pk, "body": "First"}
    answer = client.post(f"/episodes/{VIDEO_ID}/notes/new/", fields, **ON_PAGE).content.decode()

    brought = brought_along(answer)
    assert "data-marks-added" not in brought and 'class="tl-notes"' in brought
    drawn = re.search(r'data-lanes="([0-9a-f]{16})"', before)[1]
    asked = client.get(f"/episodes/{VIDEO_ID}/timeline/?lanes={drawn}").content.decode()
    assert tight(brought.replace(' hx-swap-oob="true"', "")) == tight(asked)


def test_a_deleted_note_brings_the_timeline_without_its_lanes(people) -> None:
    author = people["author"]
    client = Client()
    client.force_login(author)
    episode_path = f"/episodes/{VIDEO_ID}/"
    before = client.get(f"{episode_path}timeline/").content.decode()
    drawn = re.search(r'data-lanes="([0-9a-f]{16})"', before)[1]
    written = Annotation.objects.get(body="Public *1*")

    gone = client.post(f"/notes/{written.pk}/delete/", {}, **ON_PAGE).content.decode()

    assert gone.count("<template>") == 1
    brought = brought_along(gone)
    assert brought.count("tl-note--mine") == before.count("tl-note--mine") - 1
    assert "data-lanes-kept" in brought and 'class="tl-lane"' not in brought
    # Its frame kept from an answer before, with these marks: the timeline as asked for.
    asked = client.get(f"{episode_path}timeline/?lanes={drawn}").content.decode()
    assert tight(brought.replace(' hx-swap-oob="true"', "")) == tight(asked)
    again = Annotation.objects.get(body="Public *2*")
    gone = client.post(f"/notes/{again.pk}/delete/", {}, **ON_PAGE).content.decode()
    asked = client.get(f"{episode_path}timeline/?lanes={drawn}").content.decode()
    assert tight(brought_along(gone).replace(' hx-swap-oob="true"', "")) == tight(asked)


def test_a_note_written_elsewhere_brings_no_timeline(people) -> None:
    """Written from the list of one's notes, nothing on that page draws a timeline."""
    client = Client()
    client.force_login(people["author"])
    claim = Annotation.objects.get(body="Public *1*").claim
    elsewhere = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/notes/"}
    fields = {"claim": claim.pk, "body": "Fresh", "visibility": "public"}

    answer = client.post(f"/episodes/{VIDEO_ID}/notes/new/", fields, **elsewhere).content.decode()

    assert "<template>" not in answer and "Fresh" in answer


def test_a_shell_that_reads_more_of_the_reader_than_its_name_is_rendered_and_not_kept(
    people, monkeypatch
) -> None:
    """Should the page's template come to show something else of the reader (here their
    email), the stand-in refuses, and the page is the template's as it stands."""
    reads_email = (
        '{% extends "episodes/episode.html" %}{% block title %}{{ user.email }}{% endblock %}'
    )
    engine = {
        **settings.TEMPLATES[0],
        "APP_DIRS": False,
        "OPTIONS": {
            **settings.TEMPLATES[0]["OPTIONS"],
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        ("django.template.loaders.locmem.Loader", {"test/page.html": reads_email}),
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
        },
    }
    monkeypatch.setattr(episode_shell, "PAGE", "test/page.html")
    reader = people["reader"]
    reader.email = "reader@example.com"
    reader.save()
    with override_settings(TEMPLATES=[engine]):
        first, again = page(reader), page(reader)

    assert "<title>reader@example.com · Seeknotes</title>" in first
    assert again == first
    assert not any(key.startswith("episode-shell:") for key in kept._recent)


def test_the_timeline_drawn_first_leaves_every_readers_notes_on_the_page(people) -> None:
    """The timeline alone and the page share what is kept of the notes for a reader with none
    of their own: drawn first, the timeline must not leave the page without its lists. So
    after someone deletes their last note on the episode page (whose answer draws the
    timeline), and after the timeline is asked for alone."""
    shown_before = page(None).count("data-annotation-id=")
    author = people["other"]
    client = Client()
    client.force_login(author)
    on_page = {
        "HTTP_HX_REQUEST": "true",
        "HTTP_HX_CURRENT_URL": f"http://testserver/episodes/{VIDEO_ID}/",
    }
    for note in Annotation.objects.filter(author=author):
        client.post(f"/notes/{note.pk}/delete/", {}, **on_page)
    for alias in ("default", "notes"):
        caches[alias].clear()
    kept._recent.clear()

    client.post(  # one more note, deleted at once: its answer draws the timeline first
        f"/episodes/{VIDEO_ID}/notes/new/", {"at": "0:45", "body": "Gone soon"}, **on_page
    )
    client.post(f"/notes/{Annotation.objects.get(body='Gone soon').pk}/delete/", {}, **on_page)

    assert page(None).count("data-annotation-id=") == shown_before
    assert page(people["reader"]).count("data-annotation-id=") == shown_before
