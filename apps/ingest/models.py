"""What an import run has left to finish, kept in the database so that a killed run's is too."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from apps.episodes.models import Article


class UnfinishedArticle(models.Model):
    """An article an import wrote whose links and search documents are not yet made.

    The mark is written in the transaction that writes the article, and deleted in the one
    that resolves its links and indexes it. A run killed in between leaves it here, and the
    next run finishes the article, even if that run writes nothing itself.
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"article {self.article_id}, unfinished"


class WebImport(models.Model):
    """Documents uploaded through the site or the API, imported by a background task.

    The upload is kept in the row (as one zip) rather than on the web server's disk, so that a
    worker on any machine can run it; it is emptied once the import ends. Progress is written
    as each of the import's commits lands, and the report is the import_seeds command's.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="web_imports"
    )
    name = models.CharField(max_length=300, help_text="What was uploaded, as named by its owner.")
    upload = models.BinaryField(editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    task_id = models.CharField(max_length=64, blank=True)
    files_total = models.PositiveIntegerField(default=0)
    files_done = models.PositiveIntegerField(default=0)
    files_per_second = models.FloatField(default=0)
    summary = models.TextField(blank=True)
    report = models.TextField(blank=True, help_text="Warnings and errors, one file:line a line.")
    failure = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        permissions = [("import_documents", "Can import documents through the site")]

    def __str__(self) -> str:
        return f"import {self.pk} of {self.name} ({self.status})"

    @property
    def ended(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def report_lines(self) -> list[str]:
        return self.report.splitlines()

    @property
    def percent_done(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.files_done / self.files_total) if self.files_total else 0

    @property
    def seconds_left(self) -> int | None:
        """At the rate so far; None before there is one."""
        if self.files_per_second <= 0 or self.ended:
            return None
        return round(max(self.files_total - self.files_done, 0) / self.files_per_second)

    @property
    def time_left(self) -> str:
        seconds = self.seconds_left
        if seconds is None:
            return ""
        if seconds < 60:
            return f"about {seconds} s left"
        return f"about {round(seconds / 60)} min left"
