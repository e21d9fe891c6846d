"""Property-based API tests: schemathesis generates requests from the server's own OpenAPI.

Bounded (a few examples per operation) to keep the suite fast; any 5xx, undocumented status,
wrong content type or response off its schema fails.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from test_server_support import running_server

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture(scope="module")
def api_server():
    with running_server(max_batch=16, max_timeout=2.0, workers=2) as running:
        yield running


@pytest.fixture(scope="module")
def api_schema(api_server):
    return schemathesis.openapi.from_url(f"{api_server.url}/openapi.json")


def test_api_conforms_to_its_openapi_document(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 7  # with POST /v1/openrlhf/get_reward
    statuses: list[int] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def conforms(case: schemathesis.Case) -> None:
            statuses.append(case.call_and_validate(checks=CHECKS).status_code)

        conforms()
    assert len(statuses) >= 30 and 200 in statuses and 422 in statuses
