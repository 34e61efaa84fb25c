"""Django's createsuperuser, refusing the usernames that sign-up refuses as look-alikes."""

from __future__ import annotations

from django.contrib.auth.management.commands import createsuperuser

from apps.accounts.usernames import username_refusal


class Command(createsuperuser.Command):
    def _validate_username(self, username, verbose_field_name, database):
        # Asked both at the prompt (which asks again) and with --noinput (which stops).
        error = super()._validate_username(username, verbose_field_name, database)
        return error or username_refusal(username)
