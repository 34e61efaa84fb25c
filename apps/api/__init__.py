"""The REST API (django-ninja) under /api/: its plumbing and one router per area.

- `site.py` builds the one NinjaAPI, mounts every router and turns each kind of failure into
  `{"detail": ...}`; `apps/urls.py` serves it.
- `middleware.py` keeps answers under /api/ JSON before and outside the views (oversized or
  non-JSON bodies, unknown URLs); `auth.py` says who sends a request (a token or the session);
  `common.py` holds the error schemas, pagination and bounded parameter types every router
  shares; `kept_json.py` keeps the episode's JSON in the cache by the content's version.
- Routers: `episodes.py` (episodes and claims), `search.py`, `annotations.py`, `exports.py`
  (importing Web Annotations) and `tokens.py`. They only turn requests into calls to the
  services and QuerySets below; no rule lives here.
"""
