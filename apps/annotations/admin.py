from django.contrib import admin

from apps.annotations.models import Annotation


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "author", "episode", "seconds", "visibility", "created"]
    list_filter = ["visibility"]
    search_fields = ["body", "quote", "author__username", "episode__video_id"]
    list_select_related = ["author", "episode"]
    raw_id_fields = ["author", "episode", "claim"]
    readonly_fields = ["created", "updated"]
