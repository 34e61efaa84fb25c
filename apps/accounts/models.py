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


class EmailVerification(models.Model):
    """The address an account proved it reads, by following the link sent to it.

    The account's address itself is Django's `User.email`; it counts as verified only while
    it is the one recorded here, so changing it unverifies it until the new link is followed.
    Password resets go to verified addresses only.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_verification"
    )
    email = models.EmailField()
    verified = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user} reads {self.email}"


class SessionGeneration(models.Model):
    """How many times an account signed out everywhere: a session from before is ended.

    Each session notes the number current when it signed in (`sessions.py`); the middleware
    ends any session whose number is behind. It works whatever the session engine (database,
    cache or signed cookies), which cannot all be searched for one person's sessions.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_generation"
    )
    number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.user}: sessions of generation {self.number}"
