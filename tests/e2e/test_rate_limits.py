"""In the browser: a note refused by the rate limit comes back in place with its text."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import expect

from apps.annotations.models import Annotation
from apps.episodes.models import Claim
from tests.annotations.factories import make_user

from .test_annotations import sign_in
from .test_episode_page import claim_with

pytestmark = pytest.mark.e2e


def test_a_note_past_the_rate_stays_in_its_form_with_the_wait_shown(
    page, live_server, seed_episode, traffic, rate_clock
) -> None:
    ada = make_user("ada")
    # Sixty notes in this minute already (the product's rate), written from another tab.
    other_tab = Client()
    other_tab.force_login(ada)
    claim = Claim.objects.filter(article__episode=seed_episode).first()
    new_url = f"{seed_episode.get_absolute_url()}notes/new/"
    for number in range(60):
        other_tab.post(new_url, {"claim": claim.pk, "body": f"note {number}"})
    path = seed_episode.get_absolute_url()
    sign_in(page, live_server, "ada", path)
    page.wait_for_function("() => window.Seeknotes !== undefined")

    objective = claim_with(page, 69)
    objective.locator(":scope > .claim-body").hover()
    objective.locator(":scope > .claim-body .claim-note-link:not(.claim-fix-link)").click()
    form = page.locator(
        f"[data-annotations-for='{objective.get_attribute('data-claim-id')}'] form[data-annotation-form]"
    )
    form.locator("textarea").fill("A thought worth keeping")
    form.get_by_role("button", name="Save note").click()

    expect(form.locator(".errorlist")).to_contain_text(
        "Too many notes written, changed or deleted for now. Try again in"
    )
    expect(form.locator("textarea")).to_have_value("A thought worth keeping")
    assert not Annotation.objects.filter(body="A thought worth keeping").exists()
    assert Annotation.objects.filter(author=ada).count() == 60
