#!/bin/sh
# Starts one ngip role in the foreground (exec, so signals reach Node):
#   web | ping | smtpd | worker | scheduler | small | migrate | setup [--json] | ace <command> | any command
set -e
role="${1:-web}"
[ "$#" -gt 0 ] && shift
# docker/healthcheck.mjs reads the role to know what to probe.
echo "$role" > /tmp/ngip-role 2>/dev/null || true
case "$role" in
  web) exec node bin/server.js "$@" ;;
  # A small young generation and one V8 thread keep the edge's memory low.
  ping) exec node --max-semi-space-size=1 --single-threaded --max-old-space-size=40 ping/main.js "$@" ;;
  # Email pings (PING_EMAIL_DOMAIN), on SMTPD_PORT; like the edge it needs Redis only.
  smtpd) exec node --max-semi-space-size=1 --single-threaded ping/smtpd/main.js "$@" ;;
  worker) exec node ace.js worker:run "$@" ;;
  scheduler) exec node ace.js scheduler:run "$@" ;;
  # Web, worker and scheduler in one process, for one small machine (bin/roles.ts).
  small) export NGIP_MODE=small; exec node --max-semi-space-size=8 bin/all_in_one.js "$@" ;;
  migrate) exec node ace.js migration:run --force "$@" ;;
  setup) exec node ace.js ngip:setup "$@" ;;
  ace) exec node ace.js "$@" ;;
  *) exec "$role" "$@" ;;
esac
