#!/usr/bin/env bash
# A stand-in for systemd where it cannot run (a container whose PID 1 is not systemd): runs a command and restarts it
# as packaging/systemd/lightnvr.service would: Restart=on-failure, RestartForceExitStatus=75, SuccessExitStatus=75,
# RestartSec (here SUPERVISE_RESTART_SEC, default 1). Exit 0 (or 75 counted as success but forced to restart) as the
# unit says; a signal or any other non-zero code restarts. Each start and exit is one line on stdout:
#   supervise: start 1 pid 1234 / supervise: exit 75 (restart) / supervise: exit 0 (stopped)
# SIGTERM to the supervisor is passed on to the child and stops it for good (systemctl stop).
set -uo pipefail
restart_sec=${SUPERVISE_RESTART_SEC:-1}
stopping=false child=0 n=0
trap 'stopping=true; [ "$child" -gt 0 ] && kill -TERM "$child" 2>/dev/null' TERM INT
while :; do
  n=$((n + 1))
  "$@" &
  child=$!
  echo "supervise: start $n pid $child"
  wait "$child"; code=$?
  while kill -0 "$child" 2>/dev/null; do wait "$child"; code=$?; done # a trapped signal interrupts the first wait
  if $stopping; then echo "supervise: exit $code (stopped by signal)"; exit 0; fi
  case $code in
    75) echo "supervise: exit 75 (restart)" ;;   # RestartForceExitStatus=75
    0) echo "supervise: exit 0 (stopped)"; exit 0 ;;
    *) echo "supervise: exit $code (failure, restart)" ;;  # Restart=on-failure
  esac
  sleep "$restart_sec"
done
