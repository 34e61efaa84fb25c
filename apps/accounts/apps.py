from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"

    def ready(self) -> None:
        from apps.accounts.random_letters import draw_csrf_letters_at_once
        from apps.accounts.sessions import note_generation
        from apps.accounts.signals import keep_username_shape

        draw_csrf_letters_at_once()

        post_save.connect(
            keep_username_shape, sender=get_user_model(), dispatch_uid="keep_username_shape"
        )
        user_logged_in.connect(note_generation, dispatch_uid="note_session_generation")
