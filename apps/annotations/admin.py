from django.contrib import admin

from .models import Annotation, ApiToken


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "author", "episode", "seconds", "visibility", "created"]
    list_filter = ["visibility"]
    search_fields = ["body", "quote", "author__username", "episode__video_id"]
    list_select_related = ["author", "episode"]
    raw_id_fields = ["author", "episode", "claim"]
    readonly_fields = ["created", "updated"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "created", "last_used"]
    search_fields = ["name", "user__username"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    # The key itself is never stored; its hash is of no use to edit by hand.
    readonly_fields = ["key_hash", "created", "last_used"]
