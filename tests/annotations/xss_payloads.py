"""Note bodies that try to run code in a reader's browser, shared by the server-side and the
Chromium tests. Each one that got through would call alert(), confirm() or prompt() (a dialog
the browser test listens for), set window.__xss, or leave executable markup behind."""

from __future__ import annotations

XSS_PAYLOADS: list[str] = [
    # Script elements, in every spelling.
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//127.0.0.1/x.js></SCRIPT>",
    "<scr<script>ipt>alert(2)</scr</script>ipt>",
    "<script>window.__xss = 1</script>",
    '<script type="module">alert(3)</script>',
    "</textarea><script>alert(4)</script>",
    "</li></ol><script>alert(5)</script>",
    "<!--<script>alert(6)</script>-->",
    # Event handlers.
    "<img src=x onerror=alert(7)>",
    '<img src="x" onerror="window.__xss=1">',
    "<body onload=alert(8)>",
    '<div onmouseover="alert(9)">hover me</div>',
    "<details open ontoggle=alert(10)>",
    "<input autofocus onfocus=alert(11)>",
    "<video><source onerror=alert(12)></video>",
    "<marquee onstart=alert(13)>",
    '<a href="#" onclick="alert(14)">click</a>',
    '<p style="x" onpointerenter=alert(15)>x</p>',
    # javascript: and other dangerous URLs, raw and in Markdown.
    '<a href="javascript:alert(16)">raw link</a>',
    "[markdown link](javascript:alert(17))",
    "[spaced](  javascript:alert(18)  )",
    "[cased](JaVaScRiPt:alert(19))",
    "[encoded](javascript&#58;alert(20))",
    "[entity tab](jav&#x09;ascript:alert(21))",
    "[percent](javascript%3Aalert(22))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgyMyk8L3NjcmlwdD4=)",
    "[vb](vbscript:msgbox(24))",
    "<javascript:alert(25)>",
    "[ref link][x]\n\n[x]: javascript:alert(26)",
    '[title trick](https://example.org "a" onmouseover="alert(27)")',
    "![image](javascript:alert(28))",
    '![img onerror](x" onerror="alert(29))',
    "[![nested](x)](javascript:alert(30))",
    # SVG and MathML.
    "<svg onload=alert(31)>",
    "<svg><script>alert(32)</script></svg>",
    '<svg><a xlink:href="javascript:alert(33)"><text y="20">svg link</text></a></svg>',
    "<svg><animate onbegin=alert(34) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(35)>",
    # htmx attributes: they would make the page fetch and swap on a reader's behalf.
    '<div hx-get="/notes/" hx-trigger="load" hx-target="body">htmx</div>',
    '<a hx-post="/accounts/logout/" hx-trigger="load">log out</a>',
    '<span data-hx-get="/" data-hx-trigger="load">data-hx</span>',
    '<div hx-on:click="alert(36)">hx-on</div>',
    '<button hx-on::load="alert(37)">hx-on load</button>',
    # Other containers of code.
    '<iframe src="javascript:alert(38)"></iframe>',
    '<iframe srcdoc="<script>parent.alert(39)</script>"></iframe>',
    '<object data="javascript:alert(40)"></object>',
    '<embed src="javascript:alert(41)">',
    '<form action="javascript:alert(42)"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(43)">',
    '<base href="javascript:alert(44)//">',
    '<link rel="stylesheet" href="javascript:alert(45)">',
    "<style>@import 'javascript:alert(46)';</style>",
    '<div style="background:url(javascript:alert(47))">style</div>',
    # Attribute breakouts through Markdown.
    "`<img src=x onerror=alert(48)>` and ```\n<script>alert(49)</script>\n```",
    '[x](https://example.org"onmouseover="alert(50))',
    "<a href='https://example.org' target=_blank onfocus=alert(51) autofocus>tab</a>",
    "**<img src=x onerror=alert(52)>**",
    "> <script>alert(53)</script>",
]
