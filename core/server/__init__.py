"""The REST face: ``rewardkit serve``. Imports FastAPI; nothing else in rewardkit imports this.

Routes live in one module per resource (``api_*.py``), their dependencies in ``deps.py``,
API schemas in ``schemas.py``; :class:`~rewardkit.server.service.VerificationService` is the
only part that talks to the engine.
"""

from rewardkit.server.app import create_app
from rewardkit.server.run import check_bind, serve
from rewardkit.server.settings import ServerSettings

__all__ = ["ServerSettings", "check_bind", "create_app", "serve"]
