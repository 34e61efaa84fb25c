from django.contrib import admin

from apps.episodes.models import (
    Article,
    Channel,
    Claim,
    ContentVersion,
    Episode,
    Link,
    Section,
    Timestamp,
    TimestampCorrection,
)


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]


@admin.register(Episode)
class EpisodeAdmin(admin.ModelAdmin):
    list_display = ["video_id", "title", "channel", "listed", "added_by", "imported"]
    list_filter = ["listed", "channel"]
    search_fields = ["video_id", "title"]
    list_select_related = ["channel", "added_by"]
    raw_id_fields = ["added_by"]
    actions = ["confirm"]

    @admin.action(description="Confirm: list the selected episodes for everyone")
    def confirm(self, request, queryset) -> None:
        with ContentVersion.changing():
            listed = queryset.filter(listed=False).update(listed=True)
            if listed:  # an UPDATE sends no signal: kept pages must drop their "Unlisted" line
                ContentVersion.bump()
        self.message_user(request, f"{listed} episode(s) listed.")


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["position", "level", "title"]
    readonly_fields = fields
    extra = 0
    show_change_link = True


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "episode", "channel", "updated"]
    list_filter = ["channel"]
    search_fields = ["title", "slug", "episode__video_id"]
    list_select_related = ["episode", "channel"]
    raw_id_fields = ["episode"]
    readonly_fields = ["source_path", "source_sha256", "parser_version", "updated"]
    inlines = [SectionInline]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title", "article", "level", "position"]
    search_fields = ["title"]
    raw_id_fields = ["article", "parent"]


class TimestampInline(admin.TabularInline):
    model = Timestamp
    fields = ["position", "seconds"]
    extra = 0
    raw_id_fields = ["episode"]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["__str__", "article", "kind", "position"]
    list_filter = ["kind"]
    search_fields = ["label", "text"]
    raw_id_fields = ["article", "section", "parent"]
    inlines = [TimestampInline]


@admin.register(Link)
class LinkAdmin(admin.ModelAdmin):
    list_display = ["article", "target_slug", "text", "target_article"]
    search_fields = ["target_slug", "text"]
    raw_id_fields = ["article", "target_article"]


@admin.register(TimestampCorrection)
class TimestampCorrectionAdmin(admin.ModelAdmin):
    """Read only: applying and reverting move the timestamp, its link and the content version,
    which only `apps.episodes.corrections` does (the claim's page and the API call it)."""

    list_display = ["article", "claim_key", "position", "seconds_from", "seconds_to", "status"]
    list_filter = ["status"]
    list_select_related = ["article"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
