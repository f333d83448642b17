"""``python -m services.identity``: serve identity until SIGTERM (``PORT`` default 8101), or run an
``accounts`` command (``add-authority``, ``ensure-admin``; see ``services.identity.cli``)."""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    if argv and argv[0] == "accounts":
        from services.identity.cli import main as accounts

        return accounts(argv)
    if argv not in ([], ["serve"]):
        sys.stderr.write(
            "usage: python -m services.identity [serve | accounts add-authority … | accounts ensure-admin …]\n"
        )
        return 2
    from services.identity.app import SPEC

    SPEC.main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
