"""`{% episode_structured_data episode outlines %}`: the episode page's schema.org JSON-LD."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from apps.exports.chapters import episode_chapters
from apps.exports.structured_data import json_ld_script, video_object

register = template.Library()


@register.simple_tag(takes_context=True)
def episode_structured_data(context: template.Context, episode, outlines) -> SafeString:
    """A VideoObject with one Clip per chapter, built from the outlines the page already has."""
    request = context["request"]
    description = next(
        (outline.article.summary for outline in outlines if outline.article.summary), ""
    )
    data = video_object(
        episode,
        episode_chapters(outlines, duration_seconds=episode.duration_seconds),
        page_url=request.build_absolute_uri(episode.get_absolute_url()),
        description=description,
    )
    return json_ld_script(data)
