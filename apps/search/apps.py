from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "apps.search"

    def ready(self) -> None:
        from apps.search import indexing  # noqa: F401  (connects the signal receivers)
