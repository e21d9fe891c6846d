"""``python -m rewardkit``: the same as the ``rewardkit`` command."""

from rewardkit.cli import main

main()
