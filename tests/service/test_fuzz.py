"""Schemathesis against the app's own /openapi.json, through ASGI (no server, no socket).

Every operation the schema lists is called with generated input, valid and invalid
(positive and negative generation), and each response must

* not be a 5xx (``not_a_server_error``),
* have a status the schema documents for that operation (``status_code_conformance``),
* match the schema documented for that status (``response_schema_conformance``).

The app wraps the session's seed retriever, so no model or index is loaded here. The
admin route is switched on so its 200 body is checked too (each call reloads the seed
index from disk, which is cheap next to the model, which stays shared). A second app
with a rate limit of one request a minute checks that the 429s (and every other answer
a middleware gives before the route) are documented as well: that found /api/documents
and /admin/reload without 429, and /admin/reload without 413, in the schema.

Cases come from ``APIOperation.as_strategy`` under a plain ``@given`` rather than from
``schemathesis.pytest.from_fixture(...).parametrize()``: with pytest 9.2 the latter fails
before running anything (``'Function' object has no attribute '_nodeid'``, schemathesis
4.32's ``pytest/lazy.py`` renames the node through a removed private attribute).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from service.app import create_app

pytestmark = pytest.mark.model

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]

# Cases per operation (positive and negative mixed): a few hundred in all. Operations
# without parameters have little to vary, and Hypothesis stops early on them.
OPERATIONS = {
    "GET /api/search": 150,
    "POST /api/search": 150,
    "GET /api/documents": 15,
    "GET /healthz": 10,
    "GET /readyz": 10,
    "POST /admin/reload": 5,
}


@pytest.fixture(scope="module")
def fuzz_app(seed_index, seed_retriever, settings):
    return create_app(settings.model_copy(update={"index_dir": seed_index, "admin_reload": True}),
                      seed_retriever)


@pytest.fixture(scope="module")
def api_schema(fuzz_app):
    return schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)


@pytest.fixture(scope="module")
def limited_schema(seed_index, seed_retriever, settings):
    """The same API with a rate limit of one request a minute: nearly every answer is a 429
    (or whatever a middleware answers first), which must be documented too."""
    app = create_app(settings.model_copy(update={"index_dir": seed_index, "admin_reload": True,
                                                 "rate_limit_per_minute": 1}), seed_retriever)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def _fuzz(schema, label: str, max_examples: int) -> dict[int, int]:
    """Run ``max_examples`` positive and negative cases of one operation; statuses seen."""
    method, path = label.split(" ", 1)
    operation = schema[path][method]
    strategy = st.one_of(operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
                         operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
    statuses: dict[int, int] = {}

    @given(case=strategy)
    @hypothesis_settings(max_examples=max_examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def fuzz(case):
        response = case.call_and_validate(checks=CHECKS)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

    fuzz()
    return statuses


def test_schema_lists_exactly_the_api_operations(api_schema):
    listed = {f"{r.ok().method.upper()} {r.ok().path}" for r in api_schema.get_all_operations()}
    assert listed == set(OPERATIONS)


@pytest.mark.parametrize("label", list(OPERATIONS))
def test_operation_honours_its_schema(api_schema, label):
    statuses = _fuzz(api_schema, label, OPERATIONS[label])
    assert statuses, "no case was run"
    if label.endswith("/api/search"):  # both valid and refused input were generated
        assert statuses.get(200) and statuses.get(422), statuses


@pytest.mark.parametrize("label", list(OPERATIONS))
def test_rate_limited_operation_honours_its_schema(limited_schema, label):
    statuses = _fuzz(limited_schema, label, 5)
    if label not in ("GET /healthz", "GET /readyz"):  # probes are never limited
        assert statuses.get(429), statuses
