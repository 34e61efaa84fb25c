"""Uploaded documents and archives: what is refused whole, with the reason, before anything
is written (zip bombs, zip slip, links, devices, too many files, too large)."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from apps.ingest.uploads import (
    Uploaded,
    UploadLimits,
    UploadRefused,
    bundle_uploads,
    check_archive,
    safe_member_path,
    unpack_documents,
)

LIMITS = UploadLimits(upload_bytes=1_000_000, files=20, unpacked_bytes=2_000_000)


def upload(name: str, data: bytes) -> Uploaded:
    return Uploaded(name, len(data), io.BytesIO(data))


def archive(*members: tuple[str | zipfile.ZipInfo, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for name, data in members:
            zipped.writestr(name, data)
    return buffer.getvalue()


def special(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # Unix, whose mode bits say what the member is
    info.external_attr = mode << 16
    return info


def refusal(data: bytes, limits: UploadLimits = LIMITS) -> str:
    with pytest.raises(UploadRefused) as refused:
        check_archive(data, limits)
    return str(refused.value)


def test_documents_are_bundled_into_one_zip_by_their_own_names():
    data = bundle_uploads(
        [upload("a.md", b"# A"), upload("folder/b.TXT", b"B"), upload("c/a.md", b"other A")],
        LIMITS,
    )
    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        assert {info.filename: zipped.read(info) for info in zipped.infolist()} == {
            "a.md": b"# A",
            "b.TXT": b"B",
            "a (2).md": b"other A",
        }


def test_a_zip_is_kept_as_it_came_once_checked():
    data = archive(("channel/one.md", b"one"), ("channel/notes.pdf", b"%PDF"))
    assert bundle_uploads([upload("channel.zip", data)], LIMITS) == data


@pytest.mark.parametrize(
    ("uploads", "message"),
    [
        ([], "Choose .md or .txt files, or one .zip of them."),
        ([upload("x.pdf", b"%PDF")], "x.pdf: only .md and .txt files, or one .zip of them."),
        (
            [upload("a.zip", archive(("a.md", b"a"))), upload("b.md", b"b")],
            "a.zip: only .md and .txt files",
        ),
        ([upload("big.md", b"x" * 1_000_001)], "The upload is 1 MB; at most 1 MB."),
        ([upload(f"{n}.md", b"x") for n in range(21)], "21 files; at most 20 at once."),
        (
            [upload("fake.zip", b"not a zip at all")],
            "This is not a zip archive (or it is damaged).",
        ),
    ],
)
def test_uploads_refused_whole(uploads, message):
    with pytest.raises(UploadRefused) as refused:
        bundle_uploads(uploads, LIMITS)
    assert message in str(refused.value)


def test_an_archive_of_too_many_files_is_refused():
    data = archive(*((f"{n}.md", b"x") for n in range(21)))
    assert refusal(data) == "The archive holds 21 files; at most 20."


def test_a_zip_bomb_is_refused_by_its_unpacked_size():
    # 3 MB of zeros deflate to a few KB: small to upload, large to unpack.
    data = archive(("bomb.md", b"\0" * 3_000_000))
    assert len(data) < 10_000
    assert refusal(data) == "The archive unpacks to 3 MB; at most 2 MB."


def test_a_zip_bomb_lying_about_its_sizes_is_stopped_while_unpacking(tmp_path):
    data = bytearray(archive(("bomb.md", b"\0" * 3_000_000)))
    # Claim 10 bytes in both headers: the directory passes, the inflating does not.
    local = data.find(b"PK\x03\x04")
    data[local + 22 : local + 26] = (10).to_bytes(4, "little")
    central = data.find(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    with pytest.raises(UploadRefused) as refused:
        unpack_documents(bytes(data), tmp_path, LIMITS)
    assert "cannot be unpacked" in str(refused.value) or "more than 2 MB" in str(refused.value)
    written = sum(path.stat().st_size for path in tmp_path.rglob("*") if path.is_file())
    assert written <= 2_000_000


@pytest.mark.parametrize(
    "name",
    [
        "../evil.md",
        "a/../../evil.md",
        "/etc/evil.md",
        "..\\evil.md",
        "C:\\evil.md",
        "a/..//../x.md",
    ],
)
def test_paths_outside_the_archive_are_refused(name):
    assert refusal(archive((name, b"x"))) == f"{name}: a path outside the archive's folder."


def test_a_link_in_the_archive_is_refused():
    data = archive(("ok.md", b"x"), (special("link.md", stat.S_IFLNK | 0o777), b"/etc/passwd"))
    assert refusal(data) == "link.md: the archive holds a link; links are not imported."


@pytest.mark.parametrize("kind", [stat.S_IFCHR, stat.S_IFBLK, stat.S_IFIFO, stat.S_IFSOCK])
def test_devices_and_special_files_are_refused(kind):
    data = archive((special("dev.md", kind | 0o644), b""))
    assert refusal(data) == "dev.md: the archive holds a device or special file."


def test_safe_paths_stay_inside():
    assert str(safe_member_path("./a/./b.md")) == "a/b.md"
    assert str(safe_member_path("a\\b.md")) == "a/b.md"
    assert safe_member_path("a/../b.md") is None
    assert safe_member_path("a\x00.md") is None


def test_only_documents_are_unpacked_in_their_folders(tmp_path):
    data = archive(
        ("repo-main/current/ch/one.md", b"one"),
        ("repo-main/current/ch/two.txt", b"two"),
        ("repo-main/README.md", b"readme"),
        ("repo-main/tool.py", b"print()"),
        ("repo-main/empty/", b""),
    )
    assert unpack_documents(data, tmp_path, LIMITS) == 3
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()) == [
        "repo-main/README.md",
        "repo-main/current/ch/one.md",
        "repo-main/current/ch/two.txt",
    ]
    assert (tmp_path / "repo-main/current/ch/one.md").read_bytes() == b"one"


def test_a_name_given_twice_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr("a.md", b"one")
        with pytest.warns(UserWarning):
            zipped.writestr("a.md", b"two")
    with pytest.raises(UploadRefused) as refused:
        unpack_documents(buffer.getvalue(), tmp_path, LIMITS)
    assert str(refused.value).startswith("a.md: cannot be unpacked")


def test_nothing_leaves_the_folder_even_past_the_check(tmp_path: Path):
    # Each refusal comes before any file is written.
    folder = tmp_path / "unpacked"
    folder.mkdir()
    with pytest.raises(UploadRefused):
        unpack_documents(archive(("ok.md", b"x"), ("../evil.md", b"x")), folder, LIMITS)
    assert list(folder.iterdir()) == []
    assert not (tmp_path / "evil.md").exists()
