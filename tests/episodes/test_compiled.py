"""Queries compiled once (apps/episodes/compiled.py) and the claim lookups built on them."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction
from django.db.models import Count, F
from django.db.transaction import TransactionManagementError
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from apps.episodes.compiled import CompiledQuery
from apps.episodes.lookups import claim_held, claim_in_episode, episode_or_404, first_second
from apps.episodes.models import Article, Claim, Episode
from tests.episodes.factories import make_article, make_channel, make_claim, make_episode

pytestmark = pytest.mark.django_db

_ARTICLE = -1_000_001

_CLAIMS = CompiledQuery(
    lambda article_id: (
        Claim.objects.filter(article_id=article_id)
        .annotate(stamps=Count("timestamps"), shown=F("text"))
        .order_by("position")
        .values_list("shown", "id", "stamps")
    ),
    article_id=_ARTICLE,
)


def test_a_compiled_query_answers_each_value_as_the_orm_does_and_is_built_once() -> None:
    first, second = make_article(make_episode()), make_article(make_episode())
    one = make_claim(first, text="One", seconds=[5, 9])
    two = make_claim(first, text="Two")
    other = make_claim(second, text="Elsewhere", seconds=[1])
    built = []

    def build(article_id: int):
        built.append(article_id)
        return _CLAIMS._build(article_id)

    query = CompiledQuery(build, article_id=_ARTICLE)

    assert query.rows(article_id=first.pk) == [("One", one.pk, 2), ("Two", two.pk, 0)]
    assert query.rows(article_id=second.pk) == [("Elsewhere", other.pk, 1)]
    assert query.rows(article_id=10**9) == []
    assert built == [_ARTICLE, _ARTICLE]  # once for the model it reads, once compiled
    # The columns in the order named, as the ORM's own values_list gives them.
    assert list(_CLAIMS._build(article_id=first.pk)) == query.rows(article_id=first.pk)


def test_datetimes_go_in_as_the_database_writes_them() -> None:
    early, late = make_episode(), make_episode()
    Episode.objects.filter(pk=early.pk).update(
        imported=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    Episode.objects.filter(pk=late.pk).update(
        imported=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    )
    since = CompiledQuery(
        lambda after: (
            Episode.objects.filter(imported__gt=after)
            .order_by("id")
            .values_list("video_id", "imported")
        ),
        after=datetime.datetime(1970, 1, 2, tzinfo=datetime.UTC),
    )

    found = since.rows(after=datetime.datetime(2022, 6, 1, tzinfo=datetime.UTC))

    assert found == [(late.video_id, datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))]


def test_a_stand_in_the_statement_does_not_take_is_an_error_not_a_value_left_out() -> None:
    unused = CompiledQuery(
        lambda article_id: Claim.objects.filter(article_id__gt=article_id + 1).values_list("id"),
        article_id=-1_000_002,
    )

    with pytest.raises(ValueError, match="article_id"):
        unused.rows(article_id=1)


def test_a_number_beyond_64_bits_finds_nothing_rather_than_failing() -> None:
    make_claim(make_article(make_episode()))

    assert _CLAIMS.rows(article_id=2**64) == []
    assert _CLAIMS.rows(article_id=-(2**63) - 1) == []


@pytest.mark.django_db(transaction=True)
def test_a_locking_query_is_refused_outside_a_transaction() -> None:
    claim = make_claim(make_article(make_episode()))

    with pytest.raises(TransactionManagementError):
        claim_held(claim.pk)
    with transaction.atomic():
        assert claim_held(claim.pk) == claim


def test_instances_hold_the_fields_named_and_load_the_others_when_read() -> None:
    episode = make_episode()
    article = make_article(episode, title="The article")
    claim = make_claim(article, text="Said", label="Who", seconds=[42])
    query = CompiledQuery(
        lambda pk: Claim.objects.filter(pk=pk).values_list("text", "id", "article_id"), pk=-7
    )

    (found,) = query.objects(pk=claim.pk)

    assert (found.pk, found.text, found.article_id) == (claim.pk, "Said", article.pk)
    assert found.get_deferred_fields() == {
        "label",
        "html",
        "kind",
        "position",
        "depth",
        "key",
        "section_id",
        "parent_id",
    }
    assert found.label == "Who"  # loaded when read, as `.only()` does
    assert found._state.adding is False and found._state.db == "default"


def test_claim_in_episode_brings_its_article_with_the_episode_id_and_nothing_else() -> None:
    episode, other = make_episode(), make_episode()
    article = make_article(episode, title="Its article")
    claim = make_claim(article, text="Here", seconds=[3])

    found = claim_in_episode(claim.pk, episode.pk)

    assert found == claim and found.text == "Here" and found.html == claim.html
    with CaptureQueriesContext(connection) as ran:
        assert found.article.pk == article.pk
        assert found.article.episode_id == episode.pk
    assert ran.captured_queries == []
    assert found.article.title == "Its article"  # deferred: read when asked for
    assert isinstance(found.article, Article)
    assert claim_in_episode(claim.pk, other.pk) is None
    assert claim_in_episode(2**70, episode.pk) is None


def test_first_second_is_the_first_timestamp_by_position_not_the_smallest() -> None:
    article = make_article(make_episode())
    claim = make_claim(article, seconds=[90, 30])
    untimed = make_claim(article)

    assert first_second(claim.pk) == 90
    assert first_second(untimed.pk) is None


def test_an_episode_is_found_by_its_video_id_with_its_channel_or_none() -> None:
    channel = make_channel(name="The channel")
    with_channel, without = make_episode(channel=channel), make_episode()

    found = episode_or_404(with_channel.video_id, with_channel=True)
    alone = episode_or_404(without.video_id, with_channel=True)

    assert found == with_channel and found.imported == with_channel.imported
    with CaptureQueriesContext(connection) as ran:
        assert (found.channel, found.channel.name, found.channel.slug) == (
            channel,
            "The channel",
            channel.slug,
        )
        assert alone.channel is None
    assert ran.captured_queries == []
    assert episode_or_404(without.video_id).title == without.title
    for missing in ("nosuchvideo", "stand-in-video-id", "x" * 5000):
        with pytest.raises(Http404):
            episode_or_404(missing)
