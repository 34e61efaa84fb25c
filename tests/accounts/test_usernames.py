"""Usernames are NFKC-normalised, and none may pass for another person's at a glance."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from apps.accounts.models import UsernameShape
from apps.accounts.usernames import LOOKS_TAKEN, skeleton, username_refusal
from tests.annotations.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

CYRILLIC_A = "\u0430"


@pytest.fixture(autouse=True)
def fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_up(client, username: str):
    data = {"username": username, "password1": PASSWORD, "password2": PASSWORD}
    return client.post("/accounts/signup/", data)


def username_errors(response) -> list[str]:
    assert response.status_code == 200  # the form again, not an account
    return list(response.context["form"].errors.get("username", []))


def test_a_cyrillic_look_alike_of_an_existing_name_is_refused(client) -> None:
    make_user("admin")

    response = sign_up(client, f"{CYRILLIC_A}dmin")

    assert username_errors(response) == [
        "This username mixes scripts whose letters look alike (here Cyrillic and Latin). "
        "Write it in one script."
    ]
    assert list(User.objects.values_list("username", flat=True)) == ["admin"]


def test_a_mixed_script_look_alike_is_refused_even_when_no_one_has_the_name(client) -> None:
    response = sign_up(client, f"p{CYRILLIC_A}ypal")

    assert "mixes scripts" in username_errors(response)[0]
    assert not User.objects.exists()


def test_a_name_in_one_other_script_that_looks_like_an_existing_one_is_refused(client) -> None:
    make_user("ace")

    response = sign_up(client, "\u0430\u0441\u0435")  # "ace" in Cyrillic letters

    assert username_errors(response) == [
        "This username looks too much like an existing one. Choose another."
    ]
    assert User.objects.count() == 1


def test_a_fullwidth_spelling_is_normalised_and_refused_when_taken(client) -> None:
    make_user("admin")

    response = sign_up(client, "\uff21\uff24\uff2d\uff29\uff2e")  # fullwidth ADMIN

    assert username_errors(response) == ["A user with that username already exists."]
    assert User.objects.count() == 1


def test_a_fullwidth_spelling_is_kept_normalised(client) -> None:
    response = sign_up(client, "\uff41\uff44\uff41")  # fullwidth ada

    assert response.status_code == 302
    assert list(User.objects.values_list("username", flat=True)) == ["ada"]


def test_names_in_one_script_are_welcome(client) -> None:
    make_user("admin")

    for name in ("Дмитрий", "Ελένη", "bob_42"):
        assert sign_up(client, name).status_code == 302, name
        client.logout()

    assert User.objects.count() == 4


def test_signing_in_finds_the_account_by_its_nfkc_spelling(client) -> None:
    make_user("ada")

    response = client.post(
        "/accounts/login/", {"username": "\uff41\uff44\uff41", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert User.objects.get(pk=client.session["_auth_user_id"]).username == "ada"


def test_a_token_is_made_with_the_nfkc_spelling_of_the_username(client) -> None:
    make_user("ada")
    body = {"username": "\uff41\uff44\uff41", "password": PASSWORD, "name": "laptop"}

    response = client.post("/api/tokens", json.dumps(body), content_type="application/json")

    assert response.status_code == 201
    assert User.objects.get(api_tokens__name="laptop").username == "ada"


def test_the_admin_refuses_a_look_alike_too(admin_client) -> None:
    data = {"username": f"{CYRILLIC_A}dmin", "password1": PASSWORD, "password2": PASSWORD}
    data["usable_password"] = "true"

    response = admin_client.post("/admin/auth/user/add/", data)

    assert response.status_code == 200
    assert "mixes scripts" in " ".join(response.context["adminform"].form.errors["username"])
    assert User.objects.filter(username__startswith=CYRILLIC_A).count() == 0


def test_createsuperuser_refuses_a_look_alike_of_an_existing_name() -> None:
    make_user("ace")
    cyrillic_ace = "\u0430\u0441\u0435"

    with pytest.raises(CommandError) as refused:
        call_command(
            "createsuperuser",
            "--noinput",
            "--username",
            cyrillic_ace,
            "--email",
            "root@example.com",
            stdout=io.StringIO(),
        )

    assert str(refused.value) == LOOKS_TAKEN
    assert list(User.objects.values_list("username", flat=True)) == ["ace"]


def test_createsuperuser_takes_a_name_that_looks_like_no_one() -> None:
    make_user("ace")

    call_command(
        "createsuperuser",
        "--noinput",
        "--username",
        "root",
        "--email",
        "r@example.com",
        stdout=io.StringIO(),
    )

    assert User.objects.get(username="root").is_superuser


def test_every_account_keeps_the_shape_of_its_name_however_it_was_made() -> None:
    made_by_orm = User.objects.create_user("\u0430\u0441\u0435")  # no form was asked
    renamed = make_user("bob")
    renamed.username = "b\u043eb"  # with a Cyrillic o: the shape follows the new name
    renamed.save()

    shapes = dict(UsernameShape.objects.values_list("user__username", "shape"))

    assert shapes == {made_by_orm.username: "ace", renamed.username: "bob"}
    assert skeleton(renamed.username) == "bob"
    # A look-alike of a name made without any form is still refused.
    assert username_refusal("ace") == LOOKS_TAKEN


def test_signing_in_does_not_rewrite_the_shape(client) -> None:
    make_user("ada")
    UsernameShape.objects.update(shape="changed-by-test")

    response = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})

    assert response.status_code == 302
    assert UsernameShape.objects.get().shape == "changed-by-test"


def test_the_look_alike_check_is_one_query_however_many_accounts(
    django_assert_num_queries,
) -> None:
    for number in range(30):
        make_user(f"person{number}")

    with django_assert_num_queries(1):
        assert username_refusal("someone-new") is None
