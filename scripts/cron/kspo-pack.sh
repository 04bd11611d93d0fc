#!/usr/bin/env bash
# Build the meeting pack for the next meeting and put it in Google Drive, unattended: run
# it every morning from cron or a systemd timer; it acts only on the morning that is
# KSPO_PACK_DAYS_BEFORE days (default 1) before the meeting date in the config
# (meeting.date), and exits 0 without a word on every other day.
#
#   scripts/cron/kspo-pack.sh [kspo pack options...]      e.g. --pdf --meeting 5/2562
#
# On the day it acts, it prints what it uploaded and the links (cron mails that once per
# meeting: the committee secretary can forward it); the spreadsheet's packs tab lists the
# pack too. Every run appends its events to $KSPO_LOG_DIR/kspo-pack-YYYY-MM.log. An error
# prints one "Error: ..." message with the fix on stderr. Exit codes: README "Exit codes".
#
# Environment (all optional):
#   KSPO_CONFIG                     the province config: its source is the spreadsheet,
#                                   meeting.number/date/place the meeting, drive.* the folder
#   GOOGLE_APPLICATION_CREDENTIALS  a service-account key, or the file kspo auth login wrote
#   KSPO_PACK_DAYS_BEFORE           days before the meeting to build it (default 1)
#   KSPO_LOG_DIR                    where logs go (as for kspo-sync.sh)
#   KSPO_TIMEOUT                    whole-run budget in seconds (default 1800; 0: none)
#   KSPO_VENV                       the virtualenv to use (default: <project>/.venv)
# Options given on the command line come last, so they win over these defaults.
set -euo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
project=$(cd -- "$here/../.." && pwd -P)
python=${KSPO_VENV:-$project/.venv}/bin/python

if [[ ! -x $python ]]; then
  echo "kspo-pack: no virtualenv at ${python%/bin/python}; run $project/scripts/demo once to make it (or set KSPO_VENV)." >&2
  exit 2
fi

log_dir=${KSPO_LOG_DIR:-${LOGS_DIRECTORY:-${XDG_STATE_HOME:-${HOME:?set KSPO_LOG_DIR}/.local/state}/kspo-sheets}}
if ! mkdir -p -- "$log_dir" 2>/dev/null || [[ ! -w $log_dir ]]; then
  echo "kspo-pack: cannot write logs to $log_dir; set KSPO_LOG_DIR to a writable folder." >&2
  exit 2
fi

args=(pack --days-before "${KSPO_PACK_DAYS_BEFORE:-1}" --log-file "$log_dir/kspo-pack-$(date +%Y-%m).log")
timeout=${KSPO_TIMEOUT:-1800}
if [[ $timeout != 0 ]]; then
  args+=(--timeout "$timeout")
fi

exec "$python" -m kspo_sheets "${args[@]}" "$@"
