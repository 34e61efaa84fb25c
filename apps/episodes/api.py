"""Reading episodes and their claims: `/api/episodes…` and `/api/claims…`."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from ninja import Field, ModelSchema, Path, Query, Router, Schema
from ninja.pagination import paginate

from apps.api_common import (
    INVALID,
    MAX_ID,
    MAX_QUERY_LENGTH,
    MAX_SECONDS,
    NO_NUL,
    NOT_FOUND,
    VIDEO_ID,
    Pagination,
    absolute_url,
    get_or_404,
)
from apps.search.queries import claims_matching, query_words

from .models import Article, Channel, Claim, Episode, Section

router = Router(tags=["episodes"])


class ChannelOut(ModelSchema):
    class Meta:
        model = Channel
        fields = ["slug", "name"]


# The model fields come from base classes so that they lead each JSON object, as people read it.
class EpisodeFields(ModelSchema):
    class Meta:
        model = Episode
        fields = ["video_id", "title"]

    @staticmethod
    def resolve_title(episode: Episode) -> str:
        return episode.display_title

    @staticmethod
    def resolve_url(episode: Episode, context: dict[str, Any]) -> str:
        return absolute_url(context["request"], episode.get_absolute_url())


class EpisodeListOut(EpisodeFields):
    channel: ChannelOut | None
    articles: int = Field(description="How many articles the episode has.")
    claims: int = Field(description="How many claims its articles hold.")
    url: str = Field(description="The episode page.")

    @staticmethod
    def resolve_articles(episode: Episode) -> int:
        return episode.article_count

    @staticmethod
    def resolve_claims(episode: Episode) -> int:
        return episode.claim_count


class ClaimFields(ModelSchema):
    class Meta:
        model = Claim
        fields = ["id", "label", "text"]

    @staticmethod
    def resolve_timestamps(claim: Claim) -> list[int]:
        return [timestamp.seconds for timestamp in claim.timestamps.all()]


class ClaimInTreeOut(ClaimFields):
    parent_id: int | None
    timestamps: list[int] = Field(description="Whole seconds, in reading order.")


class SectionOut(Schema):
    id: int | None = Field(description="Null only for claims that belong to no section.")
    title: str | None = Field(description="Null for the untitled part before the first heading.")
    level: int = Field(description="The Markdown heading level; 0 when untitled.")
    parent_id: int | None
    claims: list[ClaimInTreeOut] = Field(description="Nested claims name their parent_id.")


class ArticleFields(ModelSchema):
    class Meta:
        model = Article
        fields = ["slug", "title", "summary"]


class ArticleOut(ArticleFields):
    sections: list[SectionOut]

    @staticmethod
    def resolve_sections(article: Article) -> list[dict[str, Any]]:
        return article_sections(article)


class EpisodeOut(EpisodeFields):
    channel: ChannelOut | None
    url: str = Field(description="The episode page.")
    youtube_url: str
    articles: list[ArticleOut] = Field(description="In the order of the episode page.")

    @staticmethod
    def resolve_articles(episode: Episode) -> list[Article]:
        return episode.page_articles


class ClaimOut(ClaimFields):
    episode: str = Field(description="The episode's video_id.")
    article: str = Field(description="The article's slug.")
    section_id: int | None
    timestamps: list[int] = Field(description="Whole seconds, in reading order.")
    url: str = Field(description="The claim on the episode page.")

    @staticmethod
    def resolve_episode(claim: Claim) -> str:
        return claim.article.episode.video_id

    @staticmethod
    def resolve_article(claim: Claim) -> str:
        return claim.article.slug

    @staticmethod
    def resolve_url(claim: Claim, context: dict[str, Any]) -> str:
        return absolute_url(context["request"], claim.get_absolute_url())


def article_sections(article: Article) -> list[dict[str, Any]]:
    """The article's prefetched sections in order, each with its claims in order."""
    claims_by_section: dict[int | None, list[Claim]] = defaultdict(list)
    for claim in article.claims.all():
        claims_by_section[claim.section_id].append(claim)
    sections: list[Section] = list(article.sections.all())
    result = []
    unsectioned = claims_by_section.pop(None, [])
    if unsectioned:
        # Claims outside any section go first, in a section with no id and no title.
        result.append(
            {"id": None, "title": None, "level": 0, "parent_id": None, "claims": unsectioned}
        )
    result.extend(
        {
            "id": section.pk,
            "title": section.title or None,
            "level": section.level,
            "parent_id": section.parent_id,
            "claims": claims_by_section.get(section.pk, []),
        }
        for section in sections
    )
    return result


def claims_for_api() -> QuerySet[Claim]:
    return (
        Claim.objects.select_related("article__episode")
        .prefetch_related("timestamps")
        .in_reading_order()
    )


# Optional filters are typed without None so that the schema does not offer null, which a
# query string cannot carry; a missing parameter still arrives as None.


@router.get(
    "/episodes",
    response={200: list[EpisodeListOut], **NOT_FOUND, **INVALID},
    summary="List episodes",
)
@paginate(Pagination)
def episode_list(
    request: HttpRequest,
    q: str = Query(
        "",
        max_length=MAX_QUERY_LENGTH,
        pattern=NO_NUL,
        description="Words that must all appear in the episode's or an article's title.",
    ),
    channel: str = Query(
        None,
        max_length=MAX_QUERY_LENGTH,
        pattern=NO_NUL,
        description="A channel slug; 404 when unknown.",
    ),
) -> QuerySet[Episode]:
    """Episodes, newest import first, with how many articles and claims each has."""
    episodes = Episode.objects.select_related("channel").with_counts().newest_first()
    if channel is not None:
        episodes = episodes.filter(
            channel=get_or_404(Channel.objects, f"No channel {channel!r}.", slug=channel)
        )
    for word in query_words(q):
        titled = Article.objects.filter(episode=OuterRef("pk"), title__icontains=word)
        episodes = episodes.filter(Q(title__icontains=word) | Exists(titled))
    return episodes


@router.get(
    "/episodes/{video_id}",
    response={200: EpisodeOut, **NOT_FOUND, **INVALID},
    summary="Read an episode with all its notes",
)
def episode_detail(
    request: HttpRequest,
    video_id: str = Path(..., pattern=VIDEO_ID, description="The 11-character YouTube id."),
) -> Episode:
    """The episode's articles, each with its sections and their claims, in page order."""
    episode = get_or_404(
        Episode.objects.select_related("channel"), f"No episode {video_id}.", video_id=video_id
    )
    episode.page_articles = list(Article.objects.for_episode_page(episode))
    return episode


@router.get(
    "/claims",
    response={200: list[ClaimOut], **NOT_FOUND, **INVALID},
    summary="List claims",
)
@paginate(Pagination)
def claim_list(
    request: HttpRequest,
    episode: str = Query(
        None, pattern=VIDEO_ID, description="An episode's video_id; 404 when unknown."
    ),
    at: int = Query(
        None,
        ge=0,
        le=MAX_SECONDS,
        description="Seconds: per article, the claim owning the greatest timestamp <= at.",
    ),
    start: int = Query(
        None, ge=0, le=MAX_SECONDS, description="Seconds: claims with a timestamp >= start."
    ),
    end: int = Query(
        None, ge=0, le=MAX_SECONDS, description="Seconds: claims with a timestamp <= end."
    ),
    q: str = Query(
        "",
        max_length=MAX_QUERY_LENGTH,
        pattern=NO_NUL,
        description="Words that must all appear in the claim's label or text.",
    ),
) -> QuerySet[Claim]:
    """Claims in reading order, episode by episode; the filters combine."""
    claims = claims_for_api()
    if episode is not None:
        claims = claims.filter(
            article__episode=get_or_404(Episode.objects, f"No episode {episode}.", video_id=episode)
        )
    if at is not None:
        claims = claims.spoken_at(at)
    if start is not None or end is not None:
        claims = claims.timed_between(start, end)
    if query_words(q):
        claims = claims_matching(q, claims)
    return claims


@router.get(
    "/claims/{claim_id}",
    response={200: ClaimOut, **NOT_FOUND, **INVALID},
    summary="Read a claim",
)
def claim_detail(request: HttpRequest, claim_id: int = Path(..., ge=1, le=MAX_ID)) -> Claim:
    return get_or_404(claims_for_api(), f"No claim {claim_id}.", pk=claim_id)
