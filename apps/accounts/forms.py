"""The forms that create accounts (Django's checks and the look-alike ones) and delete them."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, UserCreationForm

from apps.accounts.usernames import LookAlikeUsernames


class SignupForm(LookAlikeUsernames, UserCreationForm):
    def validate_password_for_user(self, user, password_field_name: str = "password1") -> None:
        # Django marks the confirmation; the field to fix is the one the password was chosen in.
        super().validate_password_for_user(user, password_field_name=password_field_name)


class AdminSignupForm(LookAlikeUsernames, AdminUserCreationForm):
    pass


class AccountDeleteForm(forms.Form):
    """What deleting an account asks: the password, and what becomes of the public notes."""

    KEEP, DELETE = "keep", "delete"
    public_notes = forms.ChoiceField(
        label="Your public notes",
        choices=[
            (KEEP, 'Keep them for readers, shown as by "a former member"'),
            (DELETE, "Delete them too"),
        ],
        widget=forms.RadioSelect,
    )
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.", code="password_incorrect")
        return password

    @property
    def keep_public_notes(self) -> bool:
        return self.cleaned_data["public_notes"] == self.KEEP
