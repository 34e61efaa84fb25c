"""What belongs to an account besides Django's user: its API tokens, its name's shape."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A named key for the REST API. Only its hash is kept; the key is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=128, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The table kept its name when the model moved here from annotations.
        db_table = "annotations_apitoken"
        ordering = ["user", "name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="apitoken_unique_name_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"


class UsernameShape(models.Model):
    """What an account's username looks like (`usernames.skeleton`), kept to be looked up.

    A new name is refused when its shape is some existing name's; keeping the shape beside
    each account makes that one indexed query instead of a pass over every account. Written
    whenever an account is saved with a new name (`signals.py`), however it was created.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="username_shape"
    )
    shape = models.CharField(max_length=600, db_index=True)

    def __str__(self) -> str:
        return f"{self.user} looks like {self.shape!r}"
