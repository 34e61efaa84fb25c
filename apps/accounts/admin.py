from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from apps.accounts.forms import AdminSignupForm
from apps.accounts.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "created", "last_used"]
    search_fields = ["name", "user__username"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    # The key itself is never stored; its hash is of no use to edit by hand.
    readonly_fields = ["key_hash", "created", "last_used"]


# Accounts made in the admin pass the same username checks as those made by signing up.
class AccountAdmin(UserAdmin):
    add_form = AdminSignupForm


admin.site.unregister(User)
admin.site.register(User, AccountAdmin)
