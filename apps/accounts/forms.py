"""The forms that create accounts, with Django's checks and the look-alike ones."""

from __future__ import annotations

from django.contrib.auth.forms import AdminUserCreationForm, UserCreationForm

from apps.accounts.usernames import LookAlikeUsernames


class SignupForm(LookAlikeUsernames, UserCreationForm):
    pass


class AdminSignupForm(LookAlikeUsernames, AdminUserCreationForm):
    pass
