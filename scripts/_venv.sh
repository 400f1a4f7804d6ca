# Shared by main.sh and test.sh: create .venv with Python >= 3.11 and install nanocloak into it.
# Usage: source scripts/_venv.sh EXTRAS   (EXTRAS like "" or "[dev,docs]")
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      PYTHON="$candidate"; break
    fi
  done
fi
[ -n "$PYTHON" ] || { echo "nanocloak needs Python >= 3.11 on PATH" >&2; exit 1; }
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
mkdir -p build
if ! .venv/bin/python -m pip install --disable-pip-version-check -e ".${1:-}" \
     > build/pip-install.log 2>&1; then
  tail -n 40 build/pip-install.log >&2
  echo "pip install failed; full log in build/pip-install.log" >&2
  exit 1
fi
