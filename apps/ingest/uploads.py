"""Uploaded documents to one checked zip, and that zip to a folder the importer reads.

What people upload is untrusted: a zip may claim small sizes and inflate to gigabytes, name
paths outside the folder it is unpacked into ("../../etc/…", "/etc/…"), or hold links and
device files. Every such archive is refused whole, with the reason, before anything is
written: at upload, from its directory (`bundle_uploads`), and again while unpacking, where
the bytes actually inflated are counted rather than the sizes the archive claims
(`unpack_documents`). Non-UTF-8 files are not refused here: the importer reports each one and
imports the rest.
"""

from __future__ import annotations

import io
import lzma
import stat
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.conf import settings

from apps.ingest.importer import SEED_SUFFIXES

COPY_CHUNK = 64 * 1024
# The compression methods Python's zipfile inflates; another (e.g. Deflate64, which some
# Windows tools write for large files) is refused at upload, naming the member, rather than
# accepted and failing in the worker.
READABLE_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
# What inflating a damaged member raises, besides BadZipFile (a wrong CRC): only reading the
# data tells, so these surface in the worker and are reported with the member's name.
DAMAGED = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, NotImplementedError)


class UploadRefused(ValueError):
    """The upload cannot be imported; the message says why, for the person who sent it."""


@dataclass(frozen=True)
class UploadLimits:
    upload_bytes: int
    files: int
    unpacked_bytes: int

    @classmethod
    def from_settings(cls) -> UploadLimits:
        return cls(
            settings.SEEKNOTES_IMPORT_MAX_UPLOAD_BYTES,
            settings.SEEKNOTES_IMPORT_MAX_FILES,
            settings.SEEKNOTES_IMPORT_MAX_UNPACKED_BYTES,
        )


@dataclass(frozen=True)
class Uploaded:
    name: str
    size: int
    file: BinaryIO


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.0f} MB" if size >= 1_000_000 else f"{size:,} bytes"


def bundle_uploads(uploads: list[Uploaded], limits: UploadLimits) -> bytes:
    """One zip of `.md`/`.txt` files, or the `.zip` itself once its directory is checked."""
    if not uploads:
        raise UploadRefused("Choose .md or .txt files, or one .zip of them.")
    total = sum(upload.size for upload in uploads)
    if total > limits.upload_bytes:
        raise UploadRefused(
            f"The upload is {megabytes(total)}; at most {megabytes(limits.upload_bytes)}."
        )
    if len(uploads) == 1 and uploads[0].name.lower().endswith(".zip"):
        data = uploads[0].file.read(limits.upload_bytes + 1)
        check_archive(data, limits)
        return data
    if len(uploads) > limits.files:
        raise UploadRefused(f"{len(uploads):,} files; at most {limits.files:,} at once.")
    return _zip_of_documents(uploads)


def _zip_of_documents(uploads: Iterable[Uploaded]) -> bytes:
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for upload in uploads:
            # Only the file's own name: a browser may send a folder's path with it.
            name = PurePosixPath(upload.name.replace("\\", "/")).name
            if PurePosixPath(name).suffix.lower() not in SEED_SUFFIXES:
                raise UploadRefused(
                    f"{name or 'A file'}: only .md and .txt files, or one .zip of them."
                )
            suffix = PurePosixPath(name).suffix
            stem, number = name[: -len(suffix)], 1
            while name in used:  # two files of one name from two folders: keep both
                number += 1
                name = f"{stem} ({number}){suffix}"
            used.add(name)
            archive.writestr(name, upload.file.read())
    return buffer.getvalue()


def check_archive(data: bytes, limits: UploadLimits) -> list[zipfile.ZipInfo]:
    """The archive's document members, once every member passes; `UploadRefused` if not."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise UploadRefused("This is not a zip archive (or it is damaged).") from None
    with archive:
        members = archive.infolist()
    if len(members) > limits.files:
        raise UploadRefused(f"The archive holds {len(members):,} files; at most {limits.files:,}.")
    claimed = 0
    for member in members:
        _check_member(member)
        claimed += member.file_size
    if claimed > limits.unpacked_bytes:
        raise UploadRefused(
            f"The archive unpacks to {megabytes(claimed)}; at most "
            f"{megabytes(limits.unpacked_bytes)}."
        )
    return [member for member in members if _is_document(member)]


def _check_member(member: zipfile.ZipInfo) -> None:
    name = member.filename
    mode = member.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise UploadRefused(f"{name}: the archive holds a link; links are not imported.")
    if mode and stat.S_IFMT(mode) not in {0, stat.S_IFREG, stat.S_IFDIR}:
        raise UploadRefused(f"{name}: the archive holds a device or special file.")
    if member.flag_bits & 0x1:
        raise UploadRefused(f"{name}: the archive is encrypted.")
    if member.compress_type not in READABLE_METHODS:
        raise UploadRefused(
            f"{name}: compressed in a way that cannot be read (method {member.compress_type}); "
            "use a plain zip (stored or deflated)."
        )
    if safe_member_path(name) is None:
        raise UploadRefused(f"{name}: a path outside the archive's folder.")


def safe_member_path(name: str) -> PurePosixPath | None:
    """The member's path inside the folder it is unpacked into, or None if it leaves it."""
    if "\x00" in name:
        return None
    path = name.replace("\\", "/")
    if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        return None
    parts = [part for part in path.split("/") if part not in {"", "."}]
    if ".." in parts:
        return None
    return PurePosixPath(*parts) if parts else PurePosixPath(".")


def _is_document(member: zipfile.ZipInfo) -> bool:
    return not member.is_dir() and PurePosixPath(member.filename).suffix.lower() in SEED_SUFFIXES


def unpack_documents(data: bytes, folder: Path, limits: UploadLimits) -> int:
    """The archive's `.md`/`.txt` files written under `folder`; how many. Checked again, and
    the bytes inflated are counted as they come, whatever sizes the archive claims."""
    documents = check_archive(data, limits)
    unpacked = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in documents:
            target = folder / safe_member_path(member.filename)
            if not target.resolve().is_relative_to(folder.resolve()):
                raise UploadRefused(f"{member.filename}: a path outside the archive's folder.")
            try:
                unpacked = _unpack_member(archive, member, target, unpacked, limits)
            except DAMAGED:
                # The library's words ("invalid distance too far back") help nobody.
                message = f"{member.filename}: cannot be unpacked (the archive is damaged)."
                raise UploadRefused(message) from None
            except OSError as error:
                # A name given twice, a file where a folder is.
                raise UploadRefused(f"{member.filename}: cannot be unpacked ({error}).") from None
    return len(documents)


def _unpack_member(
    archive: zipfile.ZipFile,
    member: zipfile.ZipInfo,
    target: Path,
    unpacked: int,
    limits: UploadLimits,
) -> int:
    target.parent.mkdir(parents=True, exist_ok=True)
    with archive.open(member) as source, target.open("xb") as written:
        while chunk := source.read(COPY_CHUNK):
            unpacked += len(chunk)
            if unpacked > limits.unpacked_bytes:
                raise UploadRefused(
                    f"The archive unpacks to more than {megabytes(limits.unpacked_bytes)}."
                )
            written.write(chunk)
    return unpacked
