"""`/api/openapi.json` describes every operation; `/api/docs` needs nothing but this server."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders

from apps.api.adding import EpisodeAddIn
from apps.api.annotations import AnnotationIn, AnnotationPatchIn
from apps.api.exports import WebAnnotationCollectionIn
from apps.api.timestamps import CorrectionIn, DurationIn
from apps.api.tokens import TokenIn

pytestmark = pytest.mark.django_db

BODY_ERRORS = {"400", "413", "415", "422"}
OPERATIONS = {
    ("get", "/api/"): {"200"},
    ("get", "/api/episodes"): {"200", "404", "422"},
    ("get", "/api/episodes/{video_id}"): {"200", "404", "422"},
    ("get", "/api/claims"): {"200", "404", "422"},
    ("get", "/api/claims/{claim_id}"): {"200", "404", "422"},
    ("get", "/api/search"): {"200", "401", "422"},
    ("get", "/api/annotations"): {"200", "401", "404", "422"},
    ("post", "/api/annotations"): {"201", "401", "403", "404", "429", *BODY_ERRORS},
    ("post", "/api/annotations/import"): {"200", "401", "429", *BODY_ERRORS},
    ("get", "/api/annotations/{annotation_id}"): {"200", "401", "404", "422"},
    ("patch", "/api/annotations/{annotation_id}"): {
        "200",
        "401",
        "403",
        "404",
        "429",
        *BODY_ERRORS,
    },
    ("delete", "/api/annotations/{annotation_id}"): {"204", "401", "403", "404", "422", "429"},
    ("post", "/api/tokens"): {"201", "401", "409", "429", *BODY_ERRORS},
    ("delete", "/api/tokens/{name}"): {"204", "401", "403", "404", "422"},
    ("get", "/api/timestamps/{timestamp_id}/corrections"): {"200", "404", "422"},
    ("post", "/api/timestamps/{timestamp_id}/corrections"): {
        "201",
        "401",
        "403",
        "404",
        "409",
        "429",
        *BODY_ERRORS,
    },
    ("post", "/api/corrections/{correction_id}/apply"): {
        "200",
        "401",
        "403",
        "404",
        "409",
        "422",
        "429",
    },
    ("post", "/api/corrections/{correction_id}/revert"): {
        "200",
        "401",
        "403",
        "404",
        "409",
        "422",
        "429",
    },
    # Anyone's player reports the length: no token, the session's CSRF header (403 without).
    ("post", "/api/episodes/{video_id}/duration"): {
        "200",
        "403",
        "404",
        "409",
        "429",
        *BODY_ERRORS,
    },
    ("post", "/api/episodes"): {"200", "201", "401", "403", "429", *BODY_ERRORS},
    ("post", "/api/imports"): {"202", "401", "403", "429", *BODY_ERRORS},
    ("get", "/api/imports/{import_id}"): {"200", "401", "404", "422"},
}
WRITES = {operation for operation in OPERATIONS if operation[0] in {"patch", "delete"}} | {
    ("post", "/api/annotations"),
    ("post", "/api/annotations/import"),
    ("post", "/api/timestamps/{timestamp_id}/corrections"),
    ("post", "/api/corrections/{correction_id}/apply"),
    ("post", "/api/corrections/{correction_id}/revert"),
    ("post", "/api/episodes"),
    ("post", "/api/imports"),
    ("get", "/api/imports/{import_id}"),
}


class _AssetUrls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"link", "script", "img"}:
            self.urls.extend(value for name, value in attrs if name in {"src", "href"} and value)


def test_openapi_lists_every_operation_with_its_error_responses(client) -> None:
    schema = client.get("/api/openapi.json").json()

    operations = {
        (method, path): set(operation["responses"])
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }
    assert operations == OPERATIONS


def test_openapi_says_which_operations_need_a_token_or_the_session(client) -> None:
    schema = client.get("/api/openapi.json").json()

    def security(method: str, path: str) -> list[dict]:
        return schema["paths"][path][method].get("security", [])

    for method, path in WRITES:
        assert security(method, path) == [{"TokenAuth": []}, {"SessionCookieAuth": []}]
    # Reading notes works without either, and shows more with one.
    assert security("get", "/api/annotations")[0] == {}
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }


def test_the_docs_link_every_export_and_describe_the_json_ld_form(client) -> None:
    schema = client.get("/api/openapi.json").json()
    description = schema["info"]["description"]
    detail = schema["paths"]["/api/annotations/{annotation_id}"]["get"]

    links = re.findall(r"\]\((/[^)]+)\)", description)
    assert links == [
        "/episodes/Wo95ob_s_NI/chapters.vtt",
        "/episodes/Wo95ob_s_NI/chapters.json",
        "/episodes/Wo95ob_s_NI/notes.md",
        "/notes/export.jsonld",
    ]
    assert "POST /api/annotations/import" in description
    assert set(detail["responses"]["200"]["content"]) == {
        "application/json",
        'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
    }


def test_openapi_errors_are_detail_objects(client) -> None:
    schema = client.get("/api/openapi.json").json()
    episode = schema["paths"]["/api/episodes/{video_id}"]["get"]

    not_found = episode["responses"]["404"]["content"]["application/json"]["schema"]
    invalid = episode["responses"]["422"]["content"]["application/json"]["schema"]
    components = schema["components"]["schemas"]
    assert components[not_found["$ref"].split("/")[-1]]["required"] == ["detail"]
    assert components[invalid["$ref"].split("/")[-1]]["properties"]["detail"]["type"] == "array"


def test_openapi_describes_every_parameter(client) -> None:
    schema = client.get("/api/openapi.json").json()
    claims = schema["paths"]["/api/claims"]["get"]

    parameters = {parameter["name"]: parameter for parameter in claims["parameters"]}
    assert list(parameters) == ["episode", "at", "start", "end", "q", "limit", "offset"]
    assert all(parameter["schema"].get("description") for parameter in parameters.values())
    assert parameters["at"]["schema"]["type"] == "integer"


def test_docs_page_loads_only_local_assets_that_exist(client) -> None:
    response = client.get("/api/docs")

    assert response.status_code == 200
    html = response.content.decode()
    parser = _AssetUrls()
    parser.feed(html)
    assert parser.urls, "the docs page references its scripts and styles"
    for url in parser.urls:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), f"{url} is not a static file"
    assert not re.search(r"https?://", html)
    assert '"validatorUrl": null' in html


ANNOTATION_EXAMPLE = {
    "episode": "Wo95ob_s_NI",
    "claim_id": 4,
    "seconds": 754,
    "end_seconds": 790,
    "body": "The *base model* point again: compare with [the RL section](#rl) at 12:34.",
    "visibility": "private",
    "tags": ["rl", "to-check"],
}
# A boolean's default is its example: ninja drops a false one, and true would refuse a reader
# signed out of "Try it out".
DEFAULT_IS_THE_EXAMPLE = {("get", "/api/annotations", "mine")}


def _placeholders(example: object) -> list[object]:
    """Values Swagger UI makes up when it has no example: "string" and 32-bit maxima."""
    if isinstance(example, dict):
        return [bad for value in example.values() for bad in _placeholders(value)]
    if isinstance(example, list):
        return [bad for value in example for bad in _placeholders(value)]
    return [example] if example in {"string", 2147483647, 2**63 - 1} else []


def _body_example(schema: dict, operation: dict) -> object:
    body_schema = next(iter(operation["requestBody"]["content"].values()))["schema"]
    return schema["components"]["schemas"][body_schema["$ref"].split("/")[-1]]["example"]


def test_every_parameter_has_a_realistic_example(client) -> None:
    schema = client.get("/api/openapi.json").json()

    examples = {
        (method, path, parameter["name"]): parameter.get("example")
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        for parameter in operation.get("parameters", [])
        if (method, path, parameter["name"]) not in DEFAULT_IS_THE_EXAMPLE
    }
    assert examples[("get", "/api/search", "q")] == "base model"
    assert examples[("get", "/api/claims", "limit")] == 20
    assert examples[("get", "/api/episodes/{video_id}", "video_id")] == "Wo95ob_s_NI"
    assert examples[("get", "/api/claims/{claim_id}", "claim_id")] == 4
    assert examples[("get", "/api/claims", "at")] == 754
    assert [name for name, example in examples.items() if example is None] == []
    assert _placeholders(list(examples.values())) == []


def test_every_request_body_has_a_realistic_example(client) -> None:
    schema = client.get("/api/openapi.json").json()

    bodies = {
        (method, path): _body_example(schema, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        # Files (POST /api/imports) are chosen in the docs' file picker, not written out.
        if "application/json" in operation.get("requestBody", {}).get("content", {})
    }
    assert set(bodies) == {
        ("post", "/api/episodes"),
        ("post", "/api/annotations"),
        ("post", "/api/annotations/import"),
        ("patch", "/api/annotations/{annotation_id}"),
        ("post", "/api/tokens"),
        ("post", "/api/timestamps/{timestamp_id}/corrections"),
        ("post", "/api/episodes/{video_id}/duration"),
    }
    assert bodies[("post", "/api/annotations")] == ANNOTATION_EXAMPLE
    assert bodies[("patch", "/api/annotations/{annotation_id}")] == {
        "body": ANNOTATION_EXAMPLE["body"],
        "visibility": "public",
        "seconds": 754,
        "end_seconds": 790,
        "tags": ["rl", "to-check"],
    }
    imported = bodies[("post", "/api/annotations/import")]["first"]["items"][0]
    assert imported["target"]["source"] == "https://www.youtube.com/watch?v=Wo95ob_s_NI"
    assert imported["target"]["selector"]["value"] == "t=754,790"
    assert _placeholders(bodies) == []


def test_request_body_examples_are_accepted_as_they_stand(client) -> None:
    schema = client.get("/api/openapi.json").json()
    models = (AnnotationIn, AnnotationPatchIn, WebAnnotationCollectionIn, TokenIn)
    for model in (*models, CorrectionIn, DurationIn, EpisodeAddIn):
        example = schema["components"]["schemas"][model.__name__]["example"]
        assert model.model_validate(example).model_dump(by_alias=True, exclude_unset=True) == (
            example
        )


def test_docs_page_links_back_to_the_site(client) -> None:
    html = client.get("/api/docs").content.decode()

    link = re.search(r'<a href="([^"]*)" class="api-docs-home">([^<]*)</a>', html)
    assert link is not None
    assert link.groups() == ("/", "← Back to Seeknotes")
