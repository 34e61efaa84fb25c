from django.contrib import admin

from apps.annotations.models import Annotation, Tag


class TagInline(admin.TabularInline):
    model = Tag
    extra = 0


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "author", "episode", "seconds", "visibility", "created"]
    list_filter = ["visibility", "deleted"]
    search_fields = ["body", "quote", "author__username", "episode__video_id"]
    list_select_related = ["author", "episode"]
    # Ids, not menus of every note or claim of the site.
    raw_id_fields = ["author", "episode", "claim", "parent"]
    readonly_fields = ["created", "updated", "deleted"]
    inlines = [TagInline]
