"""A real SMTP server on 127.0.0.1 for the tests that send mail through EMAIL_URL (aiosmtpd).

It asks for a login (plain AUTH, allowed without TLS on loopback), so a test proves that the
user and password of EMAIL_URL reach the server, and keeps each message it receives, parsed.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from apps.settings import email_settings

USER, PASSWORD = "mailer", "p@ss:word/1"
EMAIL_URL_PASSWORD = "p%40ss%3Aword%2F1"  # percent-encoded, as a URL must carry it

# AUTH without TLS is what a server on loopback in a test wants; aiosmtpd warns of it on every
# connection. Tests that use the server carry this mark.
QUIET = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")


@dataclass
class Mailbox:
    url: str
    messages: list[EmailMessage] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (
            auth_data.login.decode(),
            auth_data.password.decode(),
        ) == (USER, PASSWORD)
        if ok:
            self.logins.append(auth_data.login.decode())
        return AuthResult(success=ok)

    def text(self, index: int = -1) -> str:
        return self.messages[index].get_body(preferencelist=("plain",)).get_content()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A running server, and the site's mail settings pointed at it through EMAIL_URL."""
    port = free_port()
    mailbox = Mailbox(url=f"smtp://{USER}:{EMAIL_URL_PASSWORD}@127.0.0.1:{port}")
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=mailbox.authenticate,
        auth_require_tls=False,
        auth_required=True,
    )
    controller.start()
    for name, value in email_settings(mailbox.url).items():
        setattr(settings, name, value)
    try:
        yield mailbox
    finally:
        controller.stop()
