from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_without_warnings(tmp_path: Any) -> None:
    target = tmp_path / "schema.yaml"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(target), stdout=StringIO()
    )
    assert "/api/v1/locations/{id}/" in target.read_text()


def test_the_schema_describes_the_token_scheme_and_errors(db: Any) -> None:
    schema = Client().get("/api/v1/schema/?format=json").json()
    assert schema["info"]["title"] == "Houqin API"
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": schema["components"]["securitySchemes"]["tokenAuth"]["description"],
    }
    locations = schema["paths"]["/api/v1/locations/"]["get"]
    assert {"tokenAuth": []} in locations["security"]
    assert locations["responses"]["401"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    token = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert token.get("security") in (None, [], [{}])
    assert "401" not in token["responses"] and "429" in token["responses"]


def test_the_docs_page_keeps_the_content_security_policy(db: Any) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    # Every script is a file of our own origin: no inline code, no CDN.
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts
    for attrs, body in scripts:
        assert 'src="/static/' in attrs and not body.strip()
    assert "<style" not in html and "http" not in html.split("<body>")[1]
    assert 'data-schema-url="/api/v1/schema/?format=json"' in html
