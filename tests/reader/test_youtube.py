"""Every form of a YouTube address people paste, to its video id; anything else refused."""

from __future__ import annotations

import pytest

from apps.reader.youtube import NotAVideo, video_id_from

ID = "dQw4w9WgXcQ"

ACCEPTED = [
    (ID, ID),
    (f"  {ID}\n", ID),
    ("a-b_c-d_e-f", "a-b_c-d_e-f"),
    (f"https://www.youtube.com/watch?v={ID}", ID),
    (f"http://www.youtube.com/watch?v={ID}", ID),
    (f"https://youtube.com/watch?v={ID}", ID),
    (f"www.youtube.com/watch?v={ID}", ID),
    (f"youtube.com/watch?v={ID}", ID),
    (f"https://www.youtube.com/watch?v={ID}&t=42s", ID),
    (f"https://www.youtube.com/watch?v={ID}&t=1h2m3s&si=abcDEF123", ID),
    (f"https://www.youtube.com/watch?feature=share&v={ID}&list=PL123", ID),
    (f"https://www.youtube.com/watch/?v={ID}", ID),
    (f"https://WWW.YouTube.com/watch?v={ID}", ID),
    (f"https://m.youtube.com/watch?v={ID}", ID),
    (f"https://m.youtube.com/watch?v={ID}&t=90", ID),
    (f"https://music.youtube.com/watch?v={ID}&si=xyz", ID),
    (f"https://youtu.be/{ID}", ID),
    (f"youtu.be/{ID}", ID),
    (f"https://youtu.be/{ID}?t=42", ID),
    (f"https://youtu.be/{ID}?si=AbCdEfGh&t=1m", ID),
    (f"https://www.youtube.com/shorts/{ID}", ID),
    (f"https://youtube.com/shorts/{ID}?si=abc", ID),
    (f"https://www.youtube.com/embed/{ID}", ID),
    (f"https://www.youtube.com/embed/{ID}?start=30", ID),
    (f"https://www.youtube-nocookie.com/embed/{ID}", ID),
    (f"https://www.youtube.com/live/{ID}", ID),
    (f"https://www.youtube.com/live/{ID}?si=abc&t=5", ID),
    (f"https://m.youtube.com/shorts/{ID}", ID),
    (f"https://www.youtube.com/v/{ID}", ID),
    (f"https://www.youtube.com/watch?v={ID}#t=30", ID),
]

REFUSED = [
    ("", "Paste a YouTube address"),
    ("   ", "Paste a YouTube address"),
    ("hello", "neither a YouTube address nor a video id"),
    ("dQw4w9WgXc", "neither a YouTube address nor a video id"),  # 10 characters
    ("dQw4w9WgXcQQ", "neither a YouTube address nor a video id"),  # 12
    ("dQw4w9WgXc!", "neither a YouTube address nor a video id"),
    ("javascript:alert(1)", "neither a YouTube address nor a video id"),
    (f"https://vimeo.com/{ID}", "not a YouTube address (vimeo.com)"),
    (f"https://youtube.com.evil.example/watch?v={ID}", "not a YouTube address"),
    (f"https://evil.example/?u=youtube.com/watch?v={ID}", "not a YouTube address"),
    (f"ftp://youtube.com/watch?v={ID}", "starts with https://"),
    ("https://www.youtube.com/watch", "names no video"),
    ("https://www.youtube.com/@veritasium", "names no video"),
    ("https://www.youtube.com/playlist?list=PL123", "names no video"),
    ("https://www.youtube.com/results?search_query=x", "names no video"),
    ("https://youtu.be/", "names no video"),
    ("https://www.youtube.com/watch?v=short", "is not 11 letters"),
    (f"https://www.youtube.com/watch?v={ID}x", "is not 11 letters"),
    ("https://www.youtube.com/shorts/abc", "is not 11 letters"),
    ("https://youtu.be/<script>", "is not 11 letters"),
    ("https://" + "a" * 3000, "too long"),
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_every_youtube_form_gives_its_video_id(text, expected):
    assert video_id_from(text) == expected


@pytest.mark.parametrize(("text", "reason"), REFUSED)
def test_anything_else_is_refused_with_the_reason(text, reason):
    with pytest.raises(NotAVideo) as refused:
        video_id_from(text)
    assert reason in str(refused.value)
