"""Run talon (Mailgun's reply parser) on [kind, input] pairs read as JSON on stdin.

Called by bench/quotes_eval.py with an interpreter that has talon 1.4.4; talon
pins old scientific packages, so it stays out of the application's environment.
"""

from __future__ import annotations

import json
import sys


def main() -> None:
    import talon  # type: ignore[import-not-found]
    from talon import quotations  # type: ignore[import-not-found]

    talon.init()
    outputs = []
    for kind, value in json.load(sys.stdin):
        try:
            if kind == "html":
                outputs.append(str(quotations.extract_from_html(value)))
            else:
                outputs.append(str(quotations.extract_from_plain(value)))
        except Exception as error:  # a crash scores as a miss, like the others
            outputs.append(f"(talon failed: {error})")
    json.dump(outputs, sys.stdout)


if __name__ == "__main__":
    main()
