"""``python -m bot.rasa ARGS``: Rasa's own command line (``rasa run``, ``shell``, ``test``…), patched.

Every process of the project that runs Rasa starts here, so that it runs with the changes of
``bot.rasa_patches`` — the same Rasa in the tests, on a laptop and in production.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(arguments: Sequence[str] | None = None) -> None:
    from bot import rasa_patches

    rasa_patches.install()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *(sys.argv[1:] if arguments is None else arguments)]
    rasa_main()


if __name__ == "__main__":
    main()
