"""docs/server.md's API table lists exactly the routes of the OpenAPI document."""

from __future__ import annotations

import re
from pathlib import Path

from rewardkit.server import ServerSettings, create_app

PAGE = Path(__file__).parent.parent / "docs" / "server.md"


def test_api_reference_matches_the_openapi_document():
    document = create_app(ServerSettings(engine={"workers": 1})).openapi()
    served = {(method.upper(), path) for path, methods in document["paths"].items()
              for method in methods}
    listed = set(re.findall(r"^\| `(GET|POST|PUT|PATCH|DELETE) (/\S*)`", PAGE.read_text(), re.M))
    assert listed == served


def test_documented_problem_types_exist_in_the_code():
    code = "".join(p.read_text() for p in (Path(__file__).parent.parent / "core" / "server")
                   .glob("*.py"))
    for kind in re.findall(r"`/problems/([a-z-]+)`", PAGE.read_text()):
        assert f'"{kind}"' in code or kind in {"not-found"}, kind
