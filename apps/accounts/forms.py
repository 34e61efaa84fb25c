"""The forms that create accounts, with Django's checks and the look-alike ones."""

from __future__ import annotations

from django.contrib.auth.forms import AdminUserCreationForm, UserCreationForm

from apps.accounts.usernames import LookAlikeUsernames


class SignupForm(LookAlikeUsernames, UserCreationForm):
    def validate_password_for_user(self, user, password_field_name: str = "password1") -> None:
        # Django marks the confirmation; the field to fix is the one the password was chosen in.
        super().validate_password_for_user(user, password_field_name=password_field_name)


class AdminSignupForm(LookAlikeUsernames, AdminUserCreationForm):
    pass
