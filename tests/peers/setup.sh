#!/usr/bin/env bash
# Create tests/peers/.venv and install the pinned requirements (idempotent: a venv that
# already has exactly these versions is left alone).  Prints the venv's python path last.
#   tests/peers/setup.sh            # set up (or check) the venv
#   PYTHON=python3.12 tests/peers/setup.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
req="$here/requirements.txt"
py="${PYTHON:-python3}"

if ! "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
    echo "setup.sh: $py is missing or older than 3.11 (tomllib is needed)" >&2
    exit 1
fi

if [ ! -x "$venv/bin/python" ]; then
    if ! "$py" -m venv "$venv" 2>/dev/null; then
        rm -rf "$venv"
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            echo "setup.sh: installing python3-venv" >&2
            apt-get install -y python3-venv >/dev/null || { apt-get update >/dev/null && apt-get install -y python3-venv >/dev/null; }
            "$py" -m venv "$venv"
        else
            echo "setup.sh: '$py -m venv' failed; install python3-venv" >&2
            exit 1
        fi
    fi
fi

# up to date? compare the pinned name==version lines with what the venv has
want="$(grep -E '^[A-Za-z]' "$req" | sed -E 's/\[[^]]*\]//' | tr 'A-Z' 'a-z' | sort)"
have="$("$venv/bin/python" -m pip freeze 2>/dev/null | tr 'A-Z' 'a-z' | sort)"
missing="$(comm -23 <(echo "$want") <(echo "$have"))"
if [ -n "$missing" ]; then
    "$venv/bin/python" -m pip install --disable-pip-version-check -q -r "$req"
fi
"$venv/bin/python" -c 'import pymodbus, serial, aiosmtpd; assert pymodbus.__version__ == "3.16.1", pymodbus.__version__; assert aiosmtpd.__version__ == "1.4.6", aiosmtpd.__version__'
echo "$venv/bin/python"
