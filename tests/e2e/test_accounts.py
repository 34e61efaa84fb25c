"""In the browser: an address verified by the link mailed to it, then a forgotten password
reset through the mail a real SMTP server (aiosmtpd, named by EMAIL_URL) received, and the
account page's other doors, with scripts and without."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.conftest import IMMEDIATE
from tests.accounts.smtp import QUIET, smtp_server  # noqa: F401 (a fixture)
from tests.annotations.factories import PASSWORD, make_user

from .test_annotations import sign_in

pytestmark = [pytest.mark.e2e, QUIET]

NEW_PASSWORD = "a brand new passphrase 99"
LINK = re.compile(r"(http://[^\s]+/accounts/(?:email/verify|reset)/[^\s]+/)")


@pytest.fixture(autouse=True)
def _mail_sent_at_once(settings) -> None:
    """Mail leaves through a background task; here the live server runs it at once."""
    settings.TASKS = IMMEDIATE


def mailed_link(mailbox, index: int = -1) -> str:
    return LINK.search(mailbox.text(index)).group(1)


def test_a_verified_address_gets_the_reset_mail_whose_link_sets_a_password_to_sign_in_with(
    page,
    live_server,
    smtp_server,  # noqa: F811 (the fixture)
    transactional_db,
) -> None:
    make_user("ada")
    sign_in(page, live_server, "ada", "/notes/")

    # The header's name leads to the account, where the address is given and then verified.
    page.locator("[data-account-name]").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/")
    page.get_by_label("Email address").fill("ada@example.org")
    page.get_by_role("button", name="Save address").click()
    expect(page.locator("[data-message]")).to_contain_text("We sent a link to ada@example.org")
    expect(page.locator("[data-email-status]")).to_contain_text("not verified yet")
    assert [message["To"] for message in smtp_server.messages] == ["ada@example.org"]
    page.goto(mailed_link(smtp_server))
    expect(page.locator("[data-message]")).to_have_text(
        "Your email address ada@example.org is verified."
    )
    expect(page.locator("[data-email-status]")).to_contain_text("verified: a password reset")

    # Signed out, the password forgotten: the sign-in page offers the reset.
    page.get_by_role("button", name="Log out").click()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    assert smtp_server.messages[-1]["Subject"] == "Reset your Seeknotes password"

    page.goto(mailed_link(smtp_server))
    expect(page.locator("h1")).to_have_text("Choose a new password")
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the password").click()
    expect(page.locator("h1")).to_have_text("Your password is set")

    page.get_by_role("link", name="Sign in").last.click()
    page.fill("#id_username", "ada")
    page.fill("#id_password", NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("[data-account-name]")).to_have_text("ada")
    assert len(smtp_server.messages) == 2


@pytest.mark.parametrize("scripts", [True, False], ids=["with scripts", "without scripts"])
def test_the_account_pages_doors_work_as_plain_forms(
    browser, live_server, transactional_db, scripts
) -> None:
    make_user("ada")
    context = browser.new_context(java_script_enabled=scripts)
    page = context.new_page()
    try:
        sign_in(page, live_server, "ada", "/accounts/")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download my data").click()
        assert download.value.suggested_filename == "seeknotes-data.zip"

        page.get_by_role("link", name="Change your password").click()
        page.locator("#id_old_password").fill(PASSWORD)
        page.locator("#id_new_password1").fill(NEW_PASSWORD)
        page.locator("#id_new_password2").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Change password").click()
        expect(page.locator("[data-message]")).to_contain_text("Your password is changed.")

        page.get_by_role("button", name="Sign out everywhere").click()
        expect(page).to_have_url(f"{live_server.url}/accounts/login/")
        expect(page.locator("[data-message]")).to_contain_text("You are signed out everywhere")

        sign_in_with(page, NEW_PASSWORD)
        page.goto(f"{live_server.url}/accounts/")
        page.get_by_role("link", name="Delete my account").click()
        page.get_by_label("Delete them too").check()
        page.get_by_label("Your password").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Delete my account").click()
        expect(page.locator("[data-message]")).to_have_text(
            "Your account is deleted. Thank you for your notes."
        )
        expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    finally:
        context.close()


def sign_in_with(page, password: str) -> None:
    page.fill("#id_username", "ada")
    page.fill("#id_password", password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("[data-account-name]")).to_have_text("ada")
