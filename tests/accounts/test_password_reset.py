"""Password reset by email (Django's views and token generator) and EMAIL_URL, whose mail a
real SMTP server started here receives."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from apps.accounts.models import EmailVerification
from apps.settings import email_settings
from tests.accounts.smtp import QUIET, USER, smtp_server  # noqa: F401 (a fixture)
from tests.annotations.factories import PASSWORD, make_user
from tests.pages.test_views import page_text
from tests.test_settings import run_manage

pytestmark = [pytest.mark.django_db, QUIET]

RESET_LINK = re.compile(r"http://testserver(/accounts/reset/[^/\s]+/[^/\s]+/)")
NEW_PASSWORD = "a brand new passphrase 99"


def person(username: str, email: str, *, verified: bool):
    user = make_user(username)
    user.email = email
    user.save()
    if verified:
        EmailVerification.objects.create(user=user, email=email, verified=timezone.now())
    return user


def ask_reset(client: Client, email: str):
    return client.post("/accounts/password_reset/", {"email": email}, follow=True)


def set_password_through(link: str, password: str = NEW_PASSWORD):
    client = Client()
    form = client.get(link, follow=True)
    if not form.context["validlink"]:
        return form
    return client.post(
        form.redirect_chain[-1][0],
        {"new_password1": password, "new_password2": password},
        follow=True,
    )


# EMAIL_URL ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://mailer:s%40cret@mail.example.org:2525",
            {"EMAIL_HOST": "mail.example.org", "EMAIL_PORT": 2525, "EMAIL_HOST_USER": "mailer",
             "EMAIL_HOST_PASSWORD": "s@cret", "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": False},
        ),
        (
            "smtp://mail.example.org?tls=1",
            {"EMAIL_HOST": "mail.example.org", "EMAIL_PORT": 25, "EMAIL_HOST_USER": "",
             "EMAIL_HOST_PASSWORD": "", "EMAIL_USE_TLS": True, "EMAIL_USE_SSL": False},
        ),
        (
            "smtps://u:p@mail.example.org",
            {"EMAIL_HOST": "mail.example.org", "EMAIL_PORT": 465, "EMAIL_HOST_USER": "u",
             "EMAIL_HOST_PASSWORD": "p", "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": True},
        ),
        (
            "smtp://mail.example.org:587?ssl=true",
            {"EMAIL_HOST": "mail.example.org", "EMAIL_PORT": 587, "EMAIL_HOST_USER": "",
             "EMAIL_HOST_PASSWORD": "", "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": True},
        ),
    ],
)  # fmt: skip
def test_email_url_is_read_into_djangos_smtp_settings(url, expected) -> None:
    read = email_settings(url)

    assert read["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert {name: read[name] for name in expected} == expected


def test_without_email_url_mail_goes_to_the_console() -> None:
    assert email_settings("") == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}


@pytest.mark.parametrize(
    "url", ["http://mail.example.org", "smtp://", "smtps://mail.example.org?tls=1"]
)
def test_an_email_url_that_cannot_work_is_refused_at_start(url) -> None:
    with pytest.raises(ImproperlyConfigured):
        email_settings(url)


# Password reset ----------------------------------------------------------------------------------


def test_a_reset_goes_through_email_urls_smtp_server_and_its_link_sets_the_password(
    smtp_server,  # noqa: F811 (the fixture)
) -> None:
    ada = person("ada", "ada@example.org", verified=True)

    asked = ask_reset(Client(), "ADA@example.org")

    assert "Check your email" in page_text(asked)
    assert smtp_server.logins == [USER]
    [message] = smtp_server.messages
    assert message["To"] == "ada@example.org"
    assert message["Subject"] == "Reset your Seeknotes password"
    assert message["From"] == "Seeknotes <noreply@localhost>"
    body = smtp_server.text()
    assert "the Seeknotes account ada" in body
    done = set_password_through(RESET_LINK.search(body).group(1))
    assert "Your password is set" in page_text(done)
    ada.refresh_from_db()
    assert ada.check_password(NEW_PASSWORD)
    signed_in = Client().post("/accounts/login/", {"username": "ada", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302


def test_the_answer_is_the_same_whether_or_not_the_address_is_known() -> None:
    person("ada", "ada@example.org", verified=True)
    person("bea", "bea@example.org", verified=False)

    answers = [
        ask_reset(Client(), email)
        for email in ("ada@example.org", "bea@example.org", "nobody@example.org")
    ]

    assert [answer.redirect_chain for answer in answers] == [
        [("/accounts/password_reset/sent/", 302)]
    ] * 3
    assert len({page_text(answer) for answer in answers}) == 1
    # Only the verified address is sent anything.
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]


def test_a_reset_link_works_once() -> None:
    person("ada", "ada@example.org", verified=True)
    ask_reset(Client(), "ada@example.org")
    link = RESET_LINK.search(mail.outbox[0].body).group(1)

    set_password_through(link)
    again = set_password_through(link, "yet another passphrase 12")

    assert "This link no longer works" in page_text(again)


def test_a_reset_link_expires_after_password_reset_timeout(settings, monkeypatch) -> None:
    ada = person("ada", "ada@example.org", verified=True)
    ask_reset(Client(), "ada@example.org")
    link = RESET_LINK.search(mail.outbox[0].body).group(1)
    later = datetime.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)

    expired = set_password_through(link)

    assert settings.PASSWORD_RESET_TIMEOUT == 60 * 60
    assert "This link no longer works" in page_text(expired)
    ada.refresh_from_db()
    assert ada.check_password(PASSWORD)


def test_asking_for_resets_is_rate_limited_per_address(settings, rate_clock) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "account_email": {"address": "2/m"}}
    person("ada", "ada@example.org", verified=True)

    statuses = [
        Client().post("/accounts/password_reset/", {"email": "ada@example.org"}).status_code
        for _ in range(3)
    ]

    assert statuses == [302, 302, 429]
    assert len(mail.outbox) == 2


def test_the_sign_in_page_offers_the_reset() -> None:
    response = Client().get("/accounts/login/")

    assert 'href="/accounts/password_reset/"' in response.content.decode()
    assert "Forgot your password?" in page_text(response)


# The worker closes its connections when done: only a transactional test's outlive that.
@pytest.mark.django_db(transaction=True)
def test_the_reset_mail_leaves_in_the_background_not_during_the_request(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    person("ada", "ada@example.org", verified=True)

    asked = ask_reset(Client(), "ada@example.org")
    queued = list(mail.outbox)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert "Check your email" in page_text(asked)
    assert queued == []
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    assert RESET_LINK.search(mail.outbox[0].body)


def test_the_product_reads_email_url_from_the_environment_at_start() -> None:
    show = (
        "from django.conf import settings; print(settings.EMAIL_BACKEND, settings.EMAIL_HOST, "
        "settings.EMAIL_PORT, settings.EMAIL_USE_TLS, settings.DEFAULT_FROM_EMAIL)"
    )
    environment = {"DJANGO_DEBUG": "1", "DJANGO_DEFAULT_FROM_EMAIL": "Notes <n@example.org>"}

    console = run_manage("shell", "-c", show, env=environment)
    smtp = run_manage(
        "shell", "-c", show, env={**environment, "EMAIL_URL": "smtp://mail.example.org?tls=1"}
    )
    wrong = run_manage("check", env={**environment, "EMAIL_URL": "mailto:someone@example.org"})

    assert console.stdout.strip().splitlines()[-1].split() == [
        "django.core.mail.backends.console.EmailBackend", "localhost", "25", "False", "Notes",
        "<n@example.org>",
    ]  # fmt: skip
    assert smtp.stdout.strip().splitlines()[-1].split() == [
        "django.core.mail.backends.smtp.EmailBackend", "mail.example.org", "25", "True", "Notes",
        "<n@example.org>",
    ]  # fmt: skip
    assert wrong.returncode != 0
    assert "EMAIL_URL must be smtp://" in wrong.stderr
