"""A full-size corpus for the import benchmark, made from ../shared/corpus.

The public repository's newest snapshot holds ~21,300 documents in ~80 channels; the shared
corpus is a tenth of that. `build_corpus` writes the shared corpus once as it is, then again
`copies - 1` times with every copy made distinct: fresh 11-character video ids (front matter
and channel index pages' watch?v= links), titles and so slugs suffixed with the copy number,
and every wiki-link target suffixed the same way, so each copy's channels, index pages and
links stay consistent among themselves. Beside them it writes one synthetic episode of
`LONG_EPISODE_CLAIMS` claims, for the page benchmarks.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
DEFAULT_COPIES = 10  # 10 x 2,086 documents: about the public repository's size
NOT_DOCUMENTS = {"readme", "license", "licence", "changelog", "contributing"}

LONG_EPISODE_ID = "Bench1000cl"
LONG_EPISODE_CLAIMS = 1000
LONG_EPISODE_ARTICLES = 4
LONG_EPISODE_SECTIONS = 10  # per article

_TITLE = re.compile(r"^(title:[ \t]*)(\"|')?(.*?)(\2)?[ \t]*$", re.MULTILINE)
_VIDEO_ID = re.compile(r"^(video_?id:[ \t]*)([A-Za-z0-9_-]{11})[ \t]*$", re.MULTILINE | re.I)
_WATCH = re.compile(r"(watch\?v=)([A-Za-z0-9_-]{11})")
_EPISODE_HEADING = re.compile(r"^(###[ \t]*\[)([^\]]*)(\]\()", re.MULTILINE)
_WIKI_TARGET = re.compile(r"\[\[([^\[\]|#]+?)([ \t]*(?:\||#|\]\]))")
_TIMESTAMP = re.compile(
    r'<a class="yt-timestamp"[^>]*>\[[0-9:]+\]</a>|\[[0-9]{1,2}(?::[0-9]{2}){1,2}\]'
)


@dataclass(frozen=True)
class Corpus:
    folder: Path
    files: int
    bytes: int
    copies: int
    long_episode_id: str = LONG_EPISODE_ID

    @property
    def megabytes(self) -> float:
        return self.bytes / 1e6


def source_files(source: Path = SHARED_CORPUS) -> list[Path]:
    return sorted(
        p
        for p in source.rglob("*")
        if p.suffix.lower() in {".md", ".txt"} and p.stem.lower() not in NOT_DOCUMENTS
    )


def fresh_video_id(video_id: str, copy: int) -> str:
    digest = hashlib.sha256(f"{copy}:{video_id}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()[:11]


def replicate(text: str, copy: int) -> str:
    """The document as copy number `copy` (0 is the original, unchanged)."""
    if copy == 0:
        return text
    suffix = f"_{copy + 1}"
    text = _TITLE.sub(lambda m: f"{m[1]}{m[2] or ''}{m[3]} ({copy + 1}){m[4] or ''}", text, count=1)
    text = _VIDEO_ID.sub(lambda m: m[1] + fresh_video_id(m[2], copy), text, count=1)
    text = _WATCH.sub(lambda m: m[1] + fresh_video_id(m[2], copy), text)
    text = _EPISODE_HEADING.sub(lambda m: f"{m[1]}{m[2]} ({copy + 1}){m[3]}", text)
    return _WIKI_TARGET.sub(lambda m: f"[[{m[1].rstrip()}{suffix}{m[2]}", text)


def build_corpus(
    folder: Path, copies: int = DEFAULT_COPIES, source: Path = SHARED_CORPUS
) -> Corpus:
    """Write `copies` distinct copies of `source` and the long episode under `folder`."""
    originals = [
        (path.relative_to(source), path.read_text("utf-8")) for path in source_files(source)
    ]
    count = size = 0
    for copy in range(copies):
        for relative, text in originals:
            target = folder / f"copy{copy + 1:02d}" / _renamed(relative, copy)
            target.parent.mkdir(parents=True, exist_ok=True)
            data = replicate(text, copy).encode()
            target.write_bytes(data)
            count += 1
            size += len(data)
    for name, data in long_episode_documents(originals).items():
        target = folder / "long-episode" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        count += 1
        size += len(data)
    return Corpus(folder, count, size, copies)


def _renamed(relative: Path, copy: int) -> Path:
    if copy == 0:
        return relative
    # A channel index page's name is its channel's slug: renamed as the links to it were.
    return relative.with_stem(f"{relative.stem}_{copy + 1}")


def long_episode_documents(originals: list[tuple[Path, str]]) -> dict[str, bytes]:
    """Articles of one episode, `LONG_EPISODE_CLAIMS` timestamped list items in all.

    The claims' words come from the real documents' paragraphs, so they render like them.
    """
    sentences = [
        _TIMESTAMP.sub("", line).strip()
        for _, text in originals[:200]
        for line in text.splitlines()
        if len(line) > 120 and not line.startswith(("#", "-", "*", ">", "|", "title", "From"))
    ]
    per_article = LONG_EPISODE_CLAIMS // LONG_EPISODE_ARTICLES
    per_section = per_article // LONG_EPISODE_SECTIONS
    documents: dict[str, bytes] = {}
    claim = 0
    for article in range(LONG_EPISODE_ARTICLES):
        lines = [
            "---",
            f"title: Long episode part {article + 1}",
            f"videoId: {LONG_EPISODE_ID}",
            "---",
            "",
            "From: [[bench_long | A long episode]]",
            "",
        ]
        for section in range(LONG_EPISODE_SECTIONS):
            lines += [f"## Part {article + 1}, section {section + 1}", ""]
            for _ in range(per_section):
                seconds = claim * 7
                stamp = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
                words = sentences[claim % len(sentences)][:400]
                lines.append(f'*   {words} <a class="yt-timestamp" data-t="{stamp}">[{stamp}]</a>')
                claim += 1
            lines.append("")
        documents[f"long_episode_part_{article + 1}.md"] = "\n".join(lines).encode()
    return documents
