#!/usr/bin/env bash
# Everything in tests/peers in one go: set up the venv, check the device templates, run the
# encoder unit tests and the live peer tests (TCP, RTU over a socat pty pair, RTU over TCP).
# Ends with the unittest summary; exit status 0 only if all passed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
py="$("$here/setup.sh" | tail -n 1)"
command -v socat >/dev/null || echo "run-checks.sh: socat not installed, RTU tests will be skipped" >&2
"$py" "$here/check_templates.py"
cd "$here"
"$py" -m unittest -v test_encoding test_peer
