"""Seed documents written into a test's folder."""

from __future__ import annotations

from pathlib import Path


def document(title: str, video_id: str, channel: str, body: str = "") -> str:
    return (
        f"---\ntitle: {title}\nvideoId: {video_id}\n---\nFrom: [[{channel}]]\n\n* {body or 'Text'}"
    )


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
