from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.db.models.signals import post_save


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"

    def ready(self) -> None:
        from apps.accounts.signals import keep_username_shape

        post_save.connect(
            keep_username_shape, sender=get_user_model(), dispatch_uid="keep_username_shape"
        )
