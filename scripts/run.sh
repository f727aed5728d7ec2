#!/usr/bin/env bash
# Starts the web app and a Celery worker with its beat schedule; Ctrl-C stops both.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
mkdir -p var/log

pids=()
interrupted=""
cleanup() {
  trap - INT TERM EXIT
  echo; echo "Stopping CoopSupport..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  wait 2>/dev/null
  exit 0
}
trap 'interrupted=1; cleanup' INT TERM
trap cleanup EXIT

# -B runs beat inside this worker: fine for one machine; production runs exactly one `celery beat`.
.venv/bin/celery -A coopsupport worker -B --loglevel=INFO --concurrency=2 \
  --schedule=var/celerybeat-schedule >var/log/celery.log 2>&1 &
pids+=($!)
$PY manage.py runserver "$HOST:$PORT" --noreload >var/log/web.log 2>&1 &
pids+=($!)

cat <<MSG

  CoopSupport is running:  http://$HOST:$PORT/
  Celery worker + beat:    var/log/celery.log   (web log: var/log/web.log)

  Demo logins (password: demo1234)
    cm.officer1, cm.officer2   officers, สำนักงานสหกรณ์จังหวัดเชียงใหม่
    cm.supervisor              supervisor (read-only), เชียงใหม่
    kk.officer1, kk.officer2   officers, สำนักงานสหกรณ์จังหวัดขอนแก่น
    kk.supervisor              supervisor (read-only), ขอนแก่น
    central                    central staff (reads every province)
    admin                      administrator (/admin/)

  Press Ctrl-C to stop.
MSG
wait -n "${pids[@]}"
[ -z "$interrupted" ] && echo "A process exited unexpectedly; see var/log/. Stopping the rest." >&2
cleanup
