"""Annotations carried over from a re-imported article's old claims to its new ones.

A changed file replaces its article's claims with new rows. Before they go, the claims that
carry annotations are read (`annotated_claims`); once the new claims are written, each
annotation moves to the claim that says the same thing (`carry_annotations_over`).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from apps.annotations.models import Annotation
from apps.episodes.models import Claim
from apps.reader.prepared import normalised

# How alike (difflib's ratio) an edited claim must be to its old text to keep its annotations.
SAME_CLAIM_SIMILARITY = 0.6
CONTAINED_CLAIM_SIMILARITY = 0.9
MIN_CONTAINED_CHARACTERS = 20


@dataclass(frozen=True, slots=True)
class ClaimText:
    """A claim as the carry-over compares it."""

    id: int
    key: str
    text: str  # label and text, normalised

    @classmethod
    def of(cls, claim_id: int, key: str, label: str, text: str) -> ClaimText:
        return cls(claim_id, key, normalised(f"{label} {text}"))


def annotated_claims(article_id: int) -> list[ClaimText]:
    """The article's claims that carry annotations, read before its claims are replaced.

    The claims are locked first: a note being written on one holds it (see
    `annotation_create`) and is waited for, so it is read here and carried over.
    """
    list(Claim.objects.filter(article_id=article_id).select_for_update().values_list("id"))
    rows = (
        Claim.objects.filter(article_id=article_id, annotations__isnull=False)
        .values_list("id", "key", "label", "text", named=True)
        .distinct()
    )
    return [ClaimText.of(row.id, row.key, row.label, row.text) for row in rows]


def carry_annotations_over(old: list[ClaimText], new: list[ClaimText]) -> None:
    """Point each annotation of a replaced claim at the same claim in the new text.

    The same words (the key) match wherever the claim moved; failing that, the most similar
    claim, if it is close enough to be the same claim edited (a typo fixed, a sentence added).
    Annotations whose claim is gone keep their quote and time and become detached.
    """
    by_key = {claim.key: claim.id for claim in new}
    for claim in old:
        new_id = by_key.get(claim.key) or _most_similar(claim.text, new)
        annotations = Annotation.objects.filter(claim_id=claim.id)
        if new_id is not None:
            annotations.update(claim_id=new_id)
        else:
            # The quote normally holds the claim's text already; an older note may lack it.
            annotations.filter(quote="").update(quote=claim.text)
            annotations.update(claim_id=None)


def _most_similar(text: str, candidates: list[ClaimText]) -> int | None:
    best_id, best_ratio = None, SAME_CLAIM_SIMILARITY
    for candidate in candidates:
        ratio = _similarity(text, candidate.text, best_ratio)
        if ratio > best_ratio:
            best_id, best_ratio = candidate.id, ratio
    return best_id


def _similarity(text: str, other: str, to_beat: float) -> float:
    """How alike two claims' texts are; 0 when they cannot beat `to_beat`."""
    shorter, longer = sorted((text, other), key=len)
    if len(shorter) >= MIN_CONTAINED_CHARACTERS and shorter in longer:
        # One is the other with words added or removed around it.
        return max(to_beat, CONTAINED_CLAIM_SIMILARITY)
    matcher = difflib.SequenceMatcher(None, text, other, autojunk=False)
    if matcher.real_quick_ratio() < to_beat or matcher.quick_ratio() < to_beat:
        return 0.0
    return matcher.ratio()
