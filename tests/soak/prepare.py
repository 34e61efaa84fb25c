"""The soak's people and what they will read, made in the served database before the run.

    python -m tests.soak.prepare PLAN.json PEOPLE   (run by `make soak`, with Django settings)

Creates PEOPLE accounts through the ORM (one password hash for all, so that setting up costs
no 50 slow hashes) and one API token each, then writes the plan the locust process reads
without Django: who each person is (username, password, token, the address they come from),
the episodes with the claims people write on and the moments they seek to, the words they
search for, and a fingerprint of the content, which the reconciliation compares afterwards.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
from pathlib import Path

PASSWORD = "soak-walks-past-the-river-2026"
TOKEN_NAME = "soak"
USERNAME = "soak{:03d}"
CLAIMS_PER_EPISODE = 120
QUERIES = 40
# Picked from the claims' words; phrases and prefixes as people type them are added.
FIXED_QUERIES = ['"reinforcement learning"', "reward model", "pre-train", "scal", "alignm"]


def address_of(number: int) -> str:
    """Each person's own address, as a proxy in front would name it in X-Forwarded-For."""
    return f"10.0.{number // 250}.{number % 250 + 1}"


def create_people(count: int) -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from apps.accounts.tokens import api_token_create

    hashed = make_password(PASSWORD)
    people = []
    for number in range(count):
        user = get_user_model().objects.create(username=USERNAME.format(number), password=hashed)
        _, key = api_token_create(user=user, name=TOKEN_NAME)
        people.append(
            {
                "username": user.username,
                "password": PASSWORD,
                "token": key,
                "address": address_of(number),
            }
        )
    return people


def episodes_to_read() -> list[dict]:
    """Every episode with timestamped claims: up to CLAIMS_PER_EPISODE of them each."""
    from apps.episodes.models import Claim, Episode

    episodes = []
    for episode in Episode.objects.order_by("video_id"):
        claims = (
            Claim.objects.filter(article__episode=episode, timestamps__isnull=False)
            .order_by("article_id", "position")
            .distinct()
        )
        chosen = []
        for claim in claims[:CLAIMS_PER_EPISODE]:
            first = min(t.seconds for t in claim.timestamps.all())
            chosen.append({"id": claim.pk, "seconds": first, "text": claim.text})
        if chosen:
            episodes.append({"video_id": episode.video_id, "claims": chosen})
    return episodes


def queries_from(episodes: list[dict]) -> list[str]:
    words = sorted(
        {
            word.strip(".,;:()\"'").lower()
            for episode in episodes
            for claim in episode["claims"]
            for word in claim["text"].split()
            if len(word) >= 7 and word.isascii() and word.isalpha()
        }
    )
    chosen = random.Random(12).sample(words, min(QUERIES, len(words)))
    return FIXED_QUERIES + chosen


def content_fingerprint() -> dict:
    """Counts of every kind of content row, and one hash over what readers are shown."""
    from apps.episodes.models import Article, Channel, Claim, Episode, Link, Section, Timestamp

    digest = hashlib.sha256()
    for row in Claim.objects.order_by("pk").values_list("pk", "article_id", "label", "text"):
        digest.update(repr(row).encode())
    for row in Timestamp.objects.order_by("pk").values_list("pk", "claim_id", "seconds"):
        digest.update(repr(row).encode())
    for row in Article.objects.order_by("pk").values_list("pk", "slug", "title", "source_sha256"):
        digest.update(repr(row).encode())
    counts = {
        model.__name__: model.objects.count()
        for model in (Channel, Episode, Article, Section, Claim, Timestamp, Link)
    }
    return {"counts": counts, "sha256": digest.hexdigest()}


def main(plan_path: Path, people: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apps.settings")
    django.setup()
    episodes = episodes_to_read()
    if not episodes:
        sys.exit("soak: the database holds no episode with timestamped claims")
    plan = {
        "people": create_people(people),
        "episodes": episodes,
        "queries": queries_from(episodes),
        "content": content_fingerprint(),
    }
    plan_path.write_text(json.dumps(plan, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
