"""Zip members that cannot be read (damaged data, a compression Python cannot inflate) are
refused naming the member: at upload where the archive's directory tells (the method), and
by the import's report where only inflating it does (the data), never with a traceback."""

from __future__ import annotations

import logging
import zipfile
import zlib

import pytest

from apps.ingest.models import WebImport
from apps.ingest.uploads import UploadLimits, UploadRefused, check_archive, unpack_documents
from tests.ingest.seed_files import document
from tests.ingest.test_web_imports import IMMEDIATE, make_staff, staff_token, upload_zip, zipped

LIMITS = UploadLimits(upload_bytes=1_000_000, files=20, unpacked_bytes=2_000_000)


@pytest.fixture
def immediate(settings):
    settings.TASKS = IMMEDIATE


def _corrupted() -> bytes:
    data = bytearray(zipped({"one.md": document("One", "AAAAAAAAAAA", "V", "Claim " * 80)}))
    start = 30 + len("one.md")  # the local header, then the member's compressed bytes
    for i in range(start + 5, start + 25):
        data[i] ^= 0xFF
    return bytes(data)


def _unsupported_method() -> bytes:
    data = bytearray(zipped({"one.md": "hello"}))
    data[8:10] = (99).to_bytes(2, "little")  # the local header's compression method
    central = data.rfind(b"PK\x01\x02")
    data[central + 10 : central + 12] = (99).to_bytes(2, "little")
    return bytes(data)


def test_a_compression_python_cannot_inflate_is_refused_at_once_naming_the_member() -> None:
    with pytest.raises(UploadRefused) as refused:
        check_archive(_unsupported_method(), LIMITS)

    assert str(refused.value) == (
        "one.md: compressed in a way that cannot be read (method 99); "
        "use a plain zip (stored or deflated)."
    )


def test_damaged_data_is_refused_while_unpacking_naming_the_member(tmp_path) -> None:
    with pytest.raises(UploadRefused) as refused:
        unpack_documents(_corrupted(), tmp_path, LIMITS)

    assert str(refused.value) == "one.md: cannot be unpacked (the archive is damaged)."


@pytest.mark.parametrize(
    "error", [EOFError("Compressed file ended"), zlib.error("bad"), NotImplementedError("x")]
)
def test_every_way_inflating_fails_names_the_member(tmp_path, monkeypatch, error) -> None:
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(zipfile.ZipExtFile, "read", fail)
    with pytest.raises(UploadRefused) as refused:
        unpack_documents(zipped({"one.md": "hello"}), tmp_path, LIMITS)

    assert str(refused.value) == "one.md: cannot be unpacked (the archive is damaged)."


@pytest.mark.django_db
@pytest.mark.parametrize("archive", [_corrupted, _unsupported_method])
def test_an_unreadable_member_is_refused_with_its_name(
    client, immediate, django_capture_on_commit_callbacks, archive, caplog
) -> None:
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        answer = upload_zip(client, archive(), staff_token(make_staff()))

    web_import = WebImport.objects.first()
    if archive is _unsupported_method:  # the directory tells: refused before anything is kept
        assert answer.status_code == 422
        assert [item["msg"] for item in answer.json()["detail"]] == [
            "one.md: compressed in a way that cannot be read (method 99); "
            "use a plain zip (stored or deflated)."
        ]
        assert web_import is None
    else:  # only inflating tells: the import fails, its report naming the member
        assert answer.status_code == 202
        assert web_import.status == WebImport.Status.FAILED
        assert web_import.failure == "one.md: cannot be unpacked (the archive is damaged)."
    assert not [record for record in caplog.records if record.exc_info]
