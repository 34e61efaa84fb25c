"""Any change to imported content, through the importer, the admin or a shell, is noticed."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from apps.episodes.models import (
    Article,
    Channel,
    Claim,
    ContentVersion,
    Episode,
    Link,
    Section,
    Timestamp,
)


def content_changed(sender, **kwargs) -> None:
    ContentVersion.bump()


def connect() -> None:
    # The importer's raw INSERTs send no signals; it bumps the version itself, once in each
    # transaction that writes.
    for model in (Channel, Episode, Article, Section, Claim, Timestamp, Link):
        post_save.connect(content_changed, sender=model, dispatch_uid=f"content-{model.__name__}")
        post_delete.connect(
            content_changed, sender=model, dispatch_uid=f"content-{model.__name__}-deleted"
        )
