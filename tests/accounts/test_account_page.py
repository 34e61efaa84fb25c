"""/accounts/: the account page, its email address and the sessions and tokens it shows."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.utils import timezone

from apps.accounts.emails import email_is_verified
from apps.accounts.models import ApiToken
from apps.accounts.tokens import api_token_create, last_used_text, user_for_key
from apps.annotations.models import Annotation
from tests.annotations.factories import PASSWORD, make_annotation, make_user
from tests.episodes.factories import make_article, make_claim, make_episode
from tests.pages.test_views import elements, page_text

pytestmark = pytest.mark.django_db

VERIFY_LINK = re.compile(r"https?://testserver(/accounts/email/verify/[^/\s]+/)")


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sign_in(client: Client, username: str) -> bool:
    """Through the sign-in page, as a person does (django-axes wants the request)."""
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    return response.status_code == 302


def verify_link(message) -> str:
    return VERIFY_LINK.search(message.body).group(1)


def test_the_account_page_shows_the_name_address_and_counts_with_links() -> None:
    ada = make_user("ada")
    ada.email = "ada@example.org"
    ada.save()
    episode = make_episode(video_id="accountvid1")
    make_annotation(ada, episode=episode, seconds=1, visibility=Annotation.Visibility.PUBLIC)
    make_annotation(ada, episode=episode, seconds=2)
    make_annotation(make_user(), episode=episode, seconds=3)
    api_token_create(user=ada, name="laptop")

    response = signed_in(ada).get("/accounts/")

    assert response.status_code == 200
    text = page_text(response)
    assert "Signed in as ada" in text
    assert "2 notes , 1 of them public" in text  # the count is a link to the notes
    assert "1 API token" in text
    counts = [
        (attrs.get("data-note-count"), attrs.get("data-token-count"))
        for _, attrs in elements(response, "data-note-count")
        + elements(response, "data-token-count")
    ]
    assert counts == [("2", None), (None, "1")]
    assert "ada@example.org — not verified yet" in text
    links = {attrs["href"] for _, attrs in elements(response, "href")}
    assert {
        "/accounts/password_change/",
        "/accounts/tokens/",
        "/accounts/data.zip",
        "/accounts/delete/",
        "/notes/",
    } <= links
    forms = {attrs["action"] for tag, attrs in elements(response, "action") if tag == "form"}
    assert {"/accounts/email/", "/accounts/sign-out-everywhere/"} <= forms


def test_the_headers_name_links_to_the_account_page() -> None:
    ada = make_user("ada")

    response = signed_in(ada).get("/notes/")

    names = [attrs for _, attrs in elements(response, "data-account-name")]
    assert names == [{"class": "account-name", "href": "/accounts/", "data-account-name": None}]


def test_the_account_page_asks_to_sign_in_first(client) -> None:
    response = client.get("/accounts/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/"


def test_a_new_address_is_sent_a_link_that_verifies_it() -> None:
    ada = make_user("ada")
    client = signed_in(ada)

    changed = client.post("/accounts/email/", {"email": "ada@example.org"}, follow=True)

    ada.refresh_from_db()
    assert ada.email == "ada@example.org"
    assert not email_is_verified(ada)
    assert "We sent a link to ada@example.org" in page_text(changed)
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    verified = Client().get(verify_link(mail.outbox[0]), follow=True)
    assert "Your email address ada@example.org is verified." in page_text(verified)
    assert email_is_verified(ada)
    assert "ada@example.org — verified" in page_text(client.get("/accounts/"))


def test_changing_the_address_unverifies_it_and_the_old_link_verifies_nothing() -> None:
    ada = make_user("ada")
    client = signed_in(ada)
    client.post("/accounts/email/", {"email": "ada@example.org"})
    first_link = verify_link(mail.outbox[0])
    client.get(first_link)

    client.post("/accounts/email/", {"email": "ada@elsewhere.example"})
    old = client.get(first_link, follow=True)

    ada.refresh_from_db()
    assert ada.email == "ada@elsewhere.example"
    assert not email_is_verified(ada)
    assert "This link does not verify anything" in page_text(old)
    client.get(verify_link(mail.outbox[1]))
    assert email_is_verified(ada)


def test_a_verification_link_expires(settings) -> None:
    ada = make_user("ada")
    client = signed_in(ada)
    client.post("/accounts/email/", {"email": "ada@example.org"})
    link = verify_link(mail.outbox[0])
    settings.EMAIL_VERIFICATION_SECONDS = -1

    expired = client.get(link, follow=True)

    assert "it has expired" in page_text(expired)
    assert not email_is_verified(ada)


def test_a_forged_link_verifies_nothing() -> None:
    ada = make_user("ada")
    ada.email = "ada@example.org"
    ada.save()

    response = Client().get("/accounts/email/verify/not-a-real-token/", follow=True)

    assert "This link does not verify anything" in page_text(response)
    assert not email_is_verified(ada)


def test_an_invalid_address_is_refused_and_an_empty_one_removes_it() -> None:
    ada = make_user("ada")
    ada.email = "ada@example.org"
    ada.save()
    client = signed_in(ada)

    refused = client.post("/accounts/email/", {"email": "not an address"}, follow=True)
    ada.refresh_from_db()
    assert ada.email == "ada@example.org"
    assert "Enter a valid email address." in page_text(refused)

    removed = client.post("/accounts/email/", {"email": ""}, follow=True)
    ada.refresh_from_db()
    assert ada.email == ""
    assert "Your email address is removed." in page_text(removed)
    assert mail.outbox == []


def test_writes_on_the_account_page_need_the_csrf_token() -> None:
    ada = make_user("ada")
    client = Client(enforce_csrf_checks=True)
    client.force_login(ada)

    for path in ("/accounts/email/", "/accounts/sign-out-everywhere/", "/accounts/delete/"):
        assert client.post(path, {"email": "x@example.org"}).status_code == 403
    ada.refresh_from_db()
    assert ada.email == ""
    assert User.objects.filter(pk=ada.pk).exists()


# Password change ----------------------------------------------------------------------------


def test_changing_the_password_needs_the_current_one_and_keeps_this_session() -> None:
    ada = make_user("ada")
    here, elsewhere = Client(), Client()
    sign_in(here, "ada")
    sign_in(elsewhere, "ada")
    new = "another long passphrase 73"

    wrong = here.post(
        "/accounts/password_change/",
        {"old_password": "not it", "new_password1": new, "new_password2": new},
    )
    assert "Your old password was entered incorrectly" in page_text(wrong)
    changed = here.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )

    assert "Your password is changed." in page_text(changed)
    ada.refresh_from_db()
    assert ada.check_password(new)
    assert here.get("/accounts/").status_code == 200
    assert elsewhere.get("/accounts/").status_code == 302


def test_password_change_attempts_are_rate_limited(settings, rate_clock) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_check": {"user": "2/m"}}
    ada = make_user("ada")
    client = signed_in(ada)
    guess = {"old_password": "guess", "new_password1": "x", "new_password2": "x"}

    statuses = [client.post("/accounts/password_change/", guess).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


# Sign out everywhere --------------------------------------------------------------------------


def test_signing_out_everywhere_ends_every_session_but_keeps_the_tokens() -> None:
    ada = make_user("ada")
    _, key = api_token_create(user=ada, name="laptop")
    here, elsewhere = Client(), Client()
    sign_in(here, "ada")
    sign_in(elsewhere, "ada")
    assert elsewhere.get("/accounts/").status_code == 200

    ended = here.post("/accounts/sign-out-everywhere/", follow=True)

    assert "You are signed out everywhere" in page_text(ended)
    assert here.get("/accounts/").status_code == 302
    assert elsewhere.get("/accounts/")["Location"] == "/accounts/login/?next=/accounts/"
    assert user_for_key(key) == ada
    api = Client().get("/api/annotations?mine=true", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.status_code == 200


def test_signing_in_again_after_signing_out_everywhere_works() -> None:
    make_user("ada")
    client = Client()
    sign_in(client, "ada")
    client.post("/accounts/sign-out-everywhere/")

    assert sign_in(client, "ada")
    assert client.get("/accounts/").status_code == 200


def test_signing_out_everywhere_leaves_other_peoples_sessions_alone() -> None:
    make_user("ada")
    make_user("bea")
    ada, bea = Client(), Client()
    sign_in(ada, "ada")
    sign_in(bea, "bea")

    ada.post("/accounts/sign-out-everywhere/")

    assert bea.get("/accounts/").context["user"].get_username() == "bea"
    assert ada.get("/accounts/").status_code == 302  # ada herself is signed out


def test_sign_out_everywhere_is_post_only() -> None:
    ada = make_user("ada")
    client = signed_in(ada)

    assert client.get("/accounts/sign-out-everywhere/").status_code == 405
    assert client.get("/accounts/").context["user"].get_username() == "ada"  # still signed in


# Tokens' last use ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ago", "shown"),
    [
        (None, "never"),
        (timedelta(seconds=20), "within the last minute"),
        (timedelta(minutes=3, seconds=10), "3 minutes ago"),
        (timedelta(hours=5, minutes=59), "5 hours ago"),
        (timedelta(days=40), "1 month ago"),
    ],
)
def test_a_tokens_last_use_reads_as_people_say_it(ago, shown) -> None:
    now = timezone.now()

    assert last_used_text(None if ago is None else now - ago, now).replace("\xa0", " ") == shown


def test_the_tokens_page_says_when_each_token_was_last_used() -> None:
    ada = make_user("ada")
    api_token_create(user=ada, name="laptop")
    _, key = api_token_create(user=ada, name="server")
    user_for_key(key)
    ApiToken.objects.filter(name="server").update(
        last_used=timezone.now() - timedelta(minutes=3, seconds=5)
    )

    response = signed_in(ada).get("/accounts/tokens/")

    shown = [
        attrs["data-last-used"].replace("\xa0", " ")
        for _, attrs in elements(response, "data-last-used")
    ]
    assert shown == ["never", "3 minutes ago"]  # laptop, server
    assert "3 minutes ago" in page_text(response).replace("\xa0", " ")


# Download my data -----------------------------------------------------------------------------


def test_download_my_data_zips_the_notes_export_the_episodes_notes_and_the_account() -> None:
    ada = make_user("ada")
    ada.email = "ada@example.org"
    ada.save()
    episode = make_episode(video_id="zipepisode1", title="Zipped")
    claim = make_claim(make_article(episode, title="An article"), text="A claim", seconds=[61])
    make_annotation(ada, claim=claim, seconds=61, body="My *public* note", visibility="public")
    make_annotation(ada, episode=episode, seconds=90, body="My private note")
    make_annotation(
        make_user(), claim=claim, seconds=61, body="Someone else's", visibility="public"
    )
    _, key = api_token_create(user=ada, name="laptop")
    client = signed_in(ada)

    response = client.get("/accounts/data.zip")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="seeknotes-data.zip"'
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == [
        "account.json",
        "episodes/zipepisode1.md",
        "notes.jsonld",
    ]
    assert archive.read("notes.jsonld") == client.get("/notes/export.jsonld").content
    collection = json.loads(archive.read("notes.jsonld"))
    bodies = [item["body"]["items"][0]["value"] for item in collection["first"]["items"]]
    assert bodies == ["My *public* note", "My private note"]
    markdown = archive.read("episodes/zipepisode1.md").decode()
    assert markdown == client.get("/episodes/zipepisode1/notes.md").content.decode()
    assert "My *public* note" in markdown and "Someone else's" not in markdown
    account = json.loads(archive.read("account.json"))
    assert account["username"] == "ada"
    assert account["email"] == "ada@example.org"
    assert account["email_verified"] is False
    assert account["date_joined"] == ada.date_joined.isoformat()
    token = ApiToken.objects.get(user=ada)
    assert account["api_tokens"] == [
        {"name": "laptop", "created": token.created.isoformat(), "last_used": None}
    ]
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert key.encode() not in everything and token.key_hash.encode() not in everything


def test_download_my_data_asks_to_sign_in_first(client) -> None:
    assert (
        client.get("/accounts/data.zip")["Location"] == "/accounts/login/?next=/accounts/data.zip"
    )


def test_the_link_can_be_sent_again_until_the_address_is_verified() -> None:
    ada = make_user("ada")
    client = signed_in(ada)
    client.post("/accounts/email/", {"email": "ada@example.org"})

    page = client.get("/accounts/")
    client.post("/accounts/email/verify/")
    client.get(verify_link(mail.outbox[1]))
    client.post("/accounts/email/verify/")

    assert 'action="/accounts/email/verify/"' in page.content.decode()
    assert [message.to for message in mail.outbox] == [["ada@example.org"]] * 2
    ada.refresh_from_db()
    assert email_is_verified(ada)
    assert 'action="/accounts/email/verify/"' not in client.get("/accounts/").content.decode()


def test_asking_for_verification_mail_is_rate_limited(settings, rate_clock) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "account_email": {"user": "2/m"}}
    client = signed_in(make_user("ada"))

    statuses = [
        client.post("/accounts/email/", {"email": f"ada{n}@example.org"}).status_code
        for n in range(3)
    ]

    assert statuses == [302, 302, 429]
    assert len(mail.outbox) == 2
