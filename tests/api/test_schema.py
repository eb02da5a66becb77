"""The OpenAPI schema describes every API route and validates; the docs page loads only the app's
own static files (the sidecar's), never a CDN."""

import re

from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client

from tests.workflow.test_urlconf import named_routes


def test_the_schema_validates_without_a_warning_and_lists_every_route(db, client, tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    documented = set(schema["paths"])
    routes = {"/" + re.sub(r"<\w+:(\w+)>", r"{\1}", route).replace("{pk}", "{id}")
              for name, route in named_routes() if route.startswith("api/v1/") and name not in ("api_schema", "api_docs")}
    assert routes <= documented, routes - documented
    assert schema["components"]["securitySchemes"]["tokenApi"]["scheme"] == "bearer"


def test_the_docs_page_loads_the_sidecars_files_from_static(db, client):
    page = client.get("/api/v1/docs/").content.decode()
    addresses = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert addresses and all(a.startswith(("/static/drf_spectacular_sidecar/", "/api/v1/docs/")) for a in addresses)
    for address in addresses:
        if address.startswith("/static/"):
            assert finders.find(address.removeprefix("/static/")), address
    assert client.get("/api/v1/docs/?script=").status_code == 200


def test_every_operation_documents_its_refusals_in_their_shape(db, client):
    """A client generated from the schema knows what a refusal carries, not only the 200: every
    operation may be refused 401, 403, 404, 429 and 503, a write also 400 and 409, and one that takes
    If-Match 412 and 428 (not ingatkan/, which takes none)."""
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    refusal = schema["components"]["schemas"]["Penolakan"]
    assert refusal["required"] == ["detail"] and len(refusal["properties"]["kesalahan"]["oneOf"]) == 3
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            codes = {"401", "403", "404", "429", "503"} | ({"400", "409"} if method == "post" else set())
            guarded = any(p["name"] == "If-Match" for p in operation.get("parameters", []))
            assert codes <= set(operation["responses"]), (path, method)
            assert guarded == ({"412", "428"} <= set(operation["responses"])), (path, method)
            assert guarded == (method == "post" and not path.endswith("/ingatkan/")), (path, method)
            shown = operation["responses"]["403"]["content"]["application/json"]["schema"]
            assert shown == {"$ref": "#/components/schemas/Penolakan"}, (path, method)


def test_the_lists_page_addresses_in_the_schema_are_ones_the_list_answers(people, walk, settings):
    """DRF's examples named http://api.example.org/accounts/ and a cursor the list refuses (400): a
    client tried on the schema's examples met a refusal where the list would answer."""
    from urllib.parse import urlsplit

    from tests.api.helpers import as_token

    walk("langkah_3")
    schema = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    pages = schema["components"]["schemas"]["PaginatedDosierList"]["properties"]
    caller = as_token(people, "kasubag")
    for name in ("next", "previous"):
        example = urlsplit(pages[name]["example"])
        assert f"{example.scheme}://{example.netloc}" == settings.SOP_SITE_URL.rstrip("/")
        assert example.path == "/api/v1/dosier/"
        answered = caller.get(f"{example.path}?{example.query}")
        assert answered.status_code == 200, (name, answered.content)


def test_no_operation_is_described_in_english(db, client):
    """A view's docstring became its operation's description: an integrator read the code's English."""
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            said = f"{operation.get('summary', '')} {operation.get('description', '')}"
            assert not re.search(r"\b(the|with|which|once)\b", said), (path, method, said)
