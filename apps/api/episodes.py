"""Reading episodes and their claims: `/api/episodes…` and `/api/claims…`."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, ModelSchema, Path, Query, Router
from ninja.pagination import paginate
from pydantic import BaseModel

from apps.api.auth import request_user
from apps.api.common import (
    EXAMPLE_CLAIM_ID,
    EXAMPLE_QUERY,
    EXAMPLE_SECONDS,
    EXAMPLE_VIDEO_ID,
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
from apps.api.kept_json import json_key, keep_json, kept_json
from apps.episodes.models import Article, Channel, Claim, Episode, Section, Timestamp
from apps.search.queries import claims_matching, episodes_matching, query_words

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


# The tree and the claim lists can hold thousands of claims. Their items are plain pydantic
# models filled from values() rows: ninja's Schema would wrap every object in a Python getter,
# which costs more than the rest of the request.


class ClaimInTreeOut(BaseModel):
    id: int
    label: str
    text: str
    parent_id: int | None
    timestamps: list[int] = Field(description="Whole seconds, in reading order.")


class SectionOut(BaseModel):
    id: int | None = Field(description="Null only for claims that belong to no section.")
    title: str | None = Field(description="Null for the untitled part before the first heading.")
    level: int = Field(description="The Markdown heading level; 0 when untitled.")
    parent_id: int | None
    claims: list[ClaimInTreeOut] = Field(description="Nested claims name their parent_id.")


class ArticleOut(BaseModel):
    slug: str
    title: str
    summary: str
    sections: list[SectionOut]


class EpisodeOut(EpisodeFields):
    channel: ChannelOut | None
    url: str = Field(description="The episode page.")
    youtube_url: str
    articles: list[ArticleOut] = Field(description="In the order of the episode page.")

    @staticmethod
    def resolve_articles(episode: Episode) -> list[dict[str, Any]]:
        return episode_tree(episode)


class ClaimOut(BaseModel):
    id: int
    label: str
    text: str
    episode: str = Field(description="The episode's video_id.")
    article: str = Field(description="The article's slug.")
    section_id: int | None
    timestamps: list[int] = Field(description="Whole seconds, in reading order.")
    timestamp_ids: list[int] = Field(
        description="The timestamps' ids, beside `timestamps`: for their corrections."
    )
    url: str = Field(description="The claim on the episode page.")


def episode_tree(episode: Episode) -> list[dict[str, Any]]:
    """The episode's articles in page order, each with its sections and their claims."""
    articles = list(
        Article.objects.for_episode_page(episode)
        .prefetch_related(None)
        .values("id", "slug", "title", "summary")
    )
    sections = Section.objects.filter(article__episode=episode).order_by("article_id", "position")
    claims = Claim.objects.filter(article__episode=episode).order_by("article_id", "position")
    seconds = seconds_by_claim(Timestamp.objects.filter(episode=episode))
    sections_by_article = defaultdict(list)
    for section in sections.values("id", "article_id", "title", "level", "parent_id"):
        sections_by_article[section.pop("article_id")].append(section)
    claims_by_section = defaultdict(list)
    for claim in claims.values("id", "article_id", "section_id", "parent_id", "label", "text"):
        claim["timestamps"] = seconds.get(claim["id"], [])
        claims_by_section[(claim.pop("article_id"), claim.pop("section_id"))].append(claim)
    for article in articles:
        article_id = article.pop("id")
        article["sections"] = []
        unsectioned = claims_by_section.get((article_id, None))
        if unsectioned:
            # Claims outside any section go first, in a section with no id and no title.
            article["sections"].append(
                {"id": None, "title": None, "level": 0, "parent_id": None, "claims": unsectioned}
            )
        for section in sections_by_article[article_id]:
            section["title"] = section["title"] or None
            section["claims"] = claims_by_section.get((article_id, section["id"]), [])
            article["sections"].append(section)
    return articles


def seconds_by_claim(timestamps: QuerySet[Timestamp]) -> dict[int, list[int]]:
    by_claim: dict[int, list[int]] = defaultdict(list)
    rows = timestamps.order_by("claim_id", "position").values_list("claim_id", "seconds")
    for claim_id, second in rows:
        by_claim[claim_id].append(second)
    return by_claim


class ClaimRows:
    """A claim QuerySet that pages (and counts) like one, into the API's plain rows."""

    FIELDS = ("id", "label", "text", "section_id", "article__slug", "article__episode__video_id")

    def __init__(self, claims: QuerySet[Claim], request: HttpRequest) -> None:
        self.claims = claims.in_reading_order()
        self.request = request

    def count(self) -> int:
        return self.claims.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        rows = list(self.claims[window].values(*self.FIELDS))
        timestamps = Timestamp.objects.filter(claim_id__in=[r["id"] for r in rows])
        by_claim: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for claim_id, pk, second in timestamps.order_by("claim_id", "position").values_list(
            "claim_id", "id", "seconds"
        ):
            by_claim[claim_id].append((pk, second))
        pages = {}
        for row in rows:
            video_id = row.pop("article__episode__video_id")
            if video_id not in pages:
                page = reverse("episodes:episode", args=[video_id])
                pages[video_id] = absolute_url(self.request, page)
            row["episode"] = video_id
            row["article"] = row.pop("article__slug")
            stamps = by_claim.get(row["id"], [])
            row["timestamps"] = [second for _, second in stamps]
            row["timestamp_ids"] = [pk for pk, _ in stamps]
            row["url"] = f"{pages[video_id]}#c{row['id']}"
        return rows


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
        description="Words all in one of its claims, with the episode's and article's titles.",
        example=EXAMPLE_QUERY,
    ),
    channel: str = Query(
        None,
        max_length=MAX_QUERY_LENGTH,
        pattern=NO_NUL,
        description="A channel slug; 404 when unknown.",
        example="dwarkesh",
    ),
) -> QuerySet[Episode]:
    """Episodes, newest import first, with how many articles and claims each has.

    An episode added by someone not trusted with content is left out until an import or
    staff confirm it, except for the person who added it.
    """
    episodes = (
        Episode.objects.listed_for(request_user(request))
        .select_related("channel")
        .with_counts()
        .newest_first()
    )
    if channel is not None:
        episodes = episodes.filter(
            channel=get_or_404(Channel.objects, f"No channel {channel!r}.", slug=channel)
        )
    if query_words(q):
        episodes = episodes_matching(q, episodes)
    return episodes


@router.get(
    "/episodes/{video_id}",
    response={200: EpisodeOut, **NOT_FOUND, **INVALID},
    summary="Read an episode with all its notes",
)
def episode_detail(
    request: HttpRequest,
    video_id: str = Path(
        ...,
        pattern=VIDEO_ID,
        description="The 11-character YouTube id.",
        example=EXAMPLE_VIDEO_ID,
    ),
) -> HttpResponse:
    """The episode's articles, each with its sections and their claims, in page order."""
    key = json_key(request, video_id)
    if (kept := kept_json(key)) is not None:
        return kept
    episode = get_or_404(
        Episode.objects.select_related("channel"), f"No episode {video_id}.", video_id=video_id
    )
    answer = EpisodeOut.from_orm(episode, context={"request": request}).model_dump()
    return keep_json(request, key, answer)


@router.get(
    "/claims",
    response={200: list[ClaimOut], **NOT_FOUND, **INVALID},
    summary="List claims",
)
@paginate(Pagination)
def claim_list(
    request: HttpRequest,
    episode: str = Query(
        None,
        pattern=VIDEO_ID,
        description="An episode's video_id; 404 when unknown.",
        example=EXAMPLE_VIDEO_ID,
    ),
    at: int = Query(
        None,
        ge=0,
        le=MAX_SECONDS,
        description="Seconds: per article, the claim owning the greatest timestamp <= at.",
        example=EXAMPLE_SECONDS,
    ),
    start: int = Query(
        None,
        ge=0,
        le=MAX_SECONDS,
        description="Seconds: claims with a timestamp >= start.",
        example=600,
    ),
    end: int = Query(
        None,
        ge=0,
        le=MAX_SECONDS,
        description="Seconds: claims with a timestamp <= end.",
        example=900,
    ),
    q: str = Query(
        "",
        max_length=MAX_QUERY_LENGTH,
        pattern=NO_NUL,
        description="Words that must all appear in the claim's label or text.",
        example=EXAMPLE_QUERY,
    ),
) -> ClaimRows:
    """Claims in reading order, episode by episode; the filters combine."""
    claims = Claim.objects.all()
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
    return ClaimRows(claims, request)


@router.get(
    "/claims/{claim_id}",
    response={200: ClaimOut, **NOT_FOUND, **INVALID},
    summary="Read a claim",
)
def claim_detail(
    request: HttpRequest, claim_id: int = Path(..., ge=1, le=MAX_ID, example=EXAMPLE_CLAIM_ID)
) -> dict[str, Any]:
    rows = ClaimRows(Claim.objects.filter(pk=claim_id), request)[:1]
    if not rows:
        raise Http404(f"No claim {claim_id}.")
    return rows[0]
