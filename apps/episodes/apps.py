from django.apps import AppConfig


class EpisodesConfig(AppConfig):
    name = "apps.episodes"
    verbose_name = "Episodes and their notes"

    def ready(self) -> None:
        from apps.episodes import signals

        signals.connect()
