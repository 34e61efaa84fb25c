"""Every stored session names the backend that signed it in, and Django signs out any
session whose backend is no longer in AUTHENTICATION_BACKENDS. Django's ModelBackend gave
way to `apps.accounts.backends.AccountBackend`, its subclass: the sessions that named the
first are moved to the second (and back, reversed), so nobody is signed out by the change.
A session this SECRET_KEY cannot read is left as it is (it signs nobody in anyway).
"""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import migrations

ACCOUNT_BACKEND = "apps.accounts.backends.AccountBackend"
DJANGO_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _moved(apps, schema_editor, was: str, now: str) -> None:
    from django.contrib.sessions.backends.db import SessionStore

    Session = apps.get_model("sessions", "Session")
    store = SessionStore()
    sessions = Session.objects.using(schema_editor.connection.alias)
    changed = []
    for session in sessions.filter(session_data__isnull=False).iterator(chunk_size=2000):
        data = store.decode(session.session_data)
        if data.get(BACKEND_SESSION_KEY) == was:
            data[BACKEND_SESSION_KEY] = now
            session.session_data = store.encode(data)
            changed.append(session)
        if len(changed) >= 2000:
            sessions.bulk_update(changed, ["session_data"])
            changed = []
    sessions.bulk_update(changed, ["session_data"])


def forwards(apps, schema_editor) -> None:
    _moved(apps, schema_editor, DJANGO_MODEL_BACKEND, ACCOUNT_BACKEND)


def backwards(apps, schema_editor) -> None:
    _moved(apps, schema_editor, ACCOUNT_BACKEND, DJANGO_MODEL_BACKEND)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_email_verification_and_session_generations"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
