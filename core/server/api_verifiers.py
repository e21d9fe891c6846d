"""``GET /v1/verifiers``: what is installed, as ``rewardkit verifiers --json`` lists it."""

from __future__ import annotations

from fastapi import APIRouter

from rewardkit.server.deps import AuthenticatedDep, ServiceDep
from rewardkit.server.problems import problem_responses
from rewardkit.server.schemas import (
    PluginFailureResponse,
    VerifierDescriptionResponse,
    VerifiersResponse,
)

router = APIRouter(prefix="/v1", tags=["verifiers"])


@router.get("/verifiers", response_model=VerifiersResponse,
            responses=problem_responses(401, 429))
def list_verifiers(service: ServiceDep, caller: AuthenticatedDep) -> VerifiersResponse:
    """The installed verifiers with their options' JSON schema, and plugins that failed."""
    found = service.engine.catalog()
    return VerifiersResponse(
        verifiers=[VerifierDescriptionResponse.model_validate(v.model_dump())
                   for v in found.verifiers],
        failures=[PluginFailureResponse.model_validate(f.model_dump())
                  for f in found.failures],
    )
