# Shared by scripts/demo and scripts/test: make (once) and use the project's virtualenv.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "· creating .venv with $($PY --version)" >&2
  "$PY" -m venv .venv
fi
stamp=.venv/.kspo-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "· installing kspo-sheets and its dependencies into .venv" >&2
  .venv/bin/python -m pip install --quiet --upgrade pip >&2
  .venv/bin/python -m pip install --quiet -e ".[dev]" >&2
  touch "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"
