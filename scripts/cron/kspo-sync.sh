#!/usr/bin/env bash
# Run `kspo sync` unattended (cron, a systemd timer) and exit with kspo's own exit code.
#
#   scripts/cron/kspo-sync.sh [kspo sync options...]      e.g. --source URL --fail-on error
#
# Works from any directory: it uses the project's .venv. Every run appends its events to
# $KSPO_LOG_DIR/kspo-sync-YYYY-MM.log (a new file each month). Nothing goes to stdout on
# success; an error prints one "Error: ..." message with the fix on stderr, so cron mails
# (MAILTO) only when a person is needed. Exit codes: see "Exit codes" in README.md.
#
# Environment (all optional):
#   KSPO_CONFIG                     the province config (default: configs/phuket.yaml)
#   GOOGLE_APPLICATION_CREDENTIALS  the service-account key for a Google source
#   KSPO_LOG_DIR                    where logs go (default: $LOGS_DIRECTORY under systemd,
#                                   else ${XDG_STATE_HOME:-~/.local/state}/kspo-sheets)
#   KSPO_TIMEOUT                    whole-run budget in seconds (default 1800; 0: none)
#   KSPO_VENV                       the virtualenv to use (default: <project>/.venv)
# Options given on the command line come last, so they win over these defaults.
set -euo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
project=$(cd -- "$here/../.." && pwd -P)
python=${KSPO_VENV:-$project/.venv}/bin/python

if [[ ! -x $python ]]; then
  echo "kspo-sync: no virtualenv at ${python%/bin/python}; run $project/scripts/demo once to make it (or set KSPO_VENV)." >&2
  exit 2
fi

log_dir=${KSPO_LOG_DIR:-${LOGS_DIRECTORY:-${XDG_STATE_HOME:-${HOME:?set KSPO_LOG_DIR}/.local/state}/kspo-sheets}}
if ! mkdir -p -- "$log_dir" 2>/dev/null || [[ ! -w $log_dir ]]; then
  echo "kspo-sync: cannot write logs to $log_dir; set KSPO_LOG_DIR to a writable folder." >&2
  exit 2
fi

args=(sync --log-file "$log_dir/kspo-sync-$(date +%Y-%m).log")
timeout=${KSPO_TIMEOUT:-1800}
if [[ $timeout != 0 ]]; then
  args+=(--timeout "$timeout")
fi

exec "$python" -m kspo_sheets "${args[@]}" "$@"
