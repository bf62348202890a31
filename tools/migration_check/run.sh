#!/usr/bin/env bash
# Migration check of 18.0.1.4.0 (issue 17) on a real database of the previous release:
# install the addon as of PREV (default c012956 = 18.0.1.3.0) on a throwaway cluster, seed a school with
# scheduled, rescheduled, cancelled and held meetings (seed.py), update to the working tree, then print
# what check.py finds: one event per meeting, linked both ways, archived for cancelled / rescheduled ones,
# reminders only for the future, no new e-mail, the old templates and cron gone. About 3 minutes.
# Usage: tools/migration_check/run.sh [PREV_COMMIT]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PREV=${1:-c012956}
# tools/dev's functions without its command dispatch
source <(sed -n '1,/^PYTEST_ARGS=()/p' "$ROOT/tools/dev" | sed '$d' | sed "s|^ROOT=.*|ROOT=$ROOT|")
check_sources; ensure_venv
WORK=$(mktemp -d "${TMPDIR:-/tmp}/op_mentor_migration.XXXXXX"); work=$WORK
chmod 755 "$work"; DATA_DIR=$work/filestore
pg_start "$work/pg" "$(free_port)"
trap 'pg_stop; rm -rf "$WORK"' EXIT
restore_base "$work" mentor_migration
mkdir -p "$work/prev" && git -C "$ROOT" archive "$PREV" $ADDON | tar -x -C "$work/prev"
prev_path="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$OPENEDUCAT_SRC,$work/prev"
run() { "$PY" "$ODOO_SRC/odoo-bin" "$@" --db_host=127.0.0.1 --db_port="$PG_PORT" --db_user=root --data-dir="$DATA_DIR"; }
log "install $ADDON as of $PREV and seed meetings"
run --addons-path="$prev_path" -d mentor_migration -i $ADDON --without-demo=all --stop-after-init --log-level=warn \
  --logfile="$work/prev.log" || { tail -20 "$work/prev.log"; die "install of $PREV failed"; }
run shell --addons-path="$prev_path" -d mentor_migration --log-level=error --no-http <"$HERE/seed.py"
log "update to the working tree"
run --addons-path="$(addons_path)" -d mentor_migration -u $ADDON --stop-after-init --logfile="$work/update.log" ||
  { tail -30 "$work/update.log"; die "update failed"; }
warn=$(addon_warnings "$work/update.log")
[[ -z $warn ]] || { echo "the update logged warnings from $ADDON:"; echo "$warn"; exit 1; }
run shell --addons-path="$(addons_path)" -d mentor_migration --log-level=error --no-http <"$HERE/check.py"
