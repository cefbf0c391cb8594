"""Application-wide behaviour: health, errors, request ids, OpenAPI, offline docs."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from app.core import db as core_db


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_down(app, monkeypatch):
    def broken_factory():
        def make():
            raise OperationalError("SELECT 1", {}, Exception("connection refused"))

        return make

    monkeypatch.setattr("app.health.get_session_factory", broken_factory)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert core_db is not None


def test_every_response_carries_a_request_id(client):
    response = client.get("/healthz")
    assert len(response.headers["x-request-id"]) >= 16
    echoed = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "detail": "Not Found"}


def test_unknown_page_is_html_404_in_the_layout(client):
    response = client.get("/nothing-here")
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    assert "Page not found" in response.text
    assert 'class="site-header"' in response.text


def test_unexpected_error_gives_a_500_page_in_the_layout(fresh_app):
    app = fresh_app

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    @app.get("/api/v1/boom")
    def api_boom():
        raise RuntimeError("kaboom")

    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/boom")
        api = client.get("/api/v1/boom")
    assert page.status_code == 500
    assert "Something went wrong" in page.text and "kaboom" not in page.text
    assert api.status_code == 500
    assert api.json()["error"] == "internal_error"


def test_openapi_declares_the_error_shapes(client):
    spec = client.get("/openapi.json").json()
    create = spec["paths"]["/api/v1/organisations"]["post"]
    assert "422" in create["responses"]
    ref = create["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/ValidationErrorResponse")
    assert "ErrorResponse" in spec["components"]["schemas"]


def test_docs_are_served_without_a_cdn(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower()
    script = [line for line in page.text.splitlines() if "swagger-ui-bundle.js" in line][0]
    path = script.split("src=")[1].split("'")[1] if "src='" in script else script.split('"')[1]
    assert client.get(path).status_code == 200


def test_static_assets_are_fingerprinted_and_cached(client):
    home = client.get("/")
    assert "/static/css/site.css?v=" in home.text
    css = client.get("/static/css/site.css")
    assert css.status_code == 200
    assert "max-age=31536000" in css.headers["cache-control"]


def test_log_lines_carry_the_request_id(client, caplog):
    import logging

    caplog.set_level(logging.INFO, logger="euroffshore.access")
    client.get("/healthz", headers={"X-Request-ID": "trace-42"})
    access = [r for r in caplog.records if r.name == "euroffshore.access"]
    assert access and access[-1].request_id == "trace-42"
    assert "GET /healthz 200" in access[-1].getMessage()
