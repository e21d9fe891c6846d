"""rewardkit's built-in verifiers.

Each module here is an ordinary plugin, declared under the ``rewardkit`` entry-point group
in rewardkit's own ``pyproject.toml``, exactly as a third-party package declares its own.
The core never imports these modules; the plugin manager loads them.
"""
