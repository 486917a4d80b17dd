#!/bin/sh
# ngip-switch COLOUR WEB PING: routes the proxy to one colour's web and ping
# (host:port each). nginx tests the new configuration first: one it refuses
# never replaces the running one, and the file is put back as it was.
set -eu
dir=/etc/nginx/ngip
case "$1$2$3" in
  *[!a-z0-9.:-]*) echo "ngip-switch: bad argument" >&2; exit 2 ;;
esac
printf '# ngip colour %s\nset $ngip_colour %s;\nset $ngip_web %s;\nset $ngip_ping %s;\n' \
  "$1" "$1" "$2" "$3" > "$dir/live.conf.next"
cp "$dir/live.conf" "$dir/live.conf.prev"
mv "$dir/live.conf.next" "$dir/live.conf"
if ! checked=$(nginx -t 2>&1); then
  mv "$dir/live.conf.prev" "$dir/live.conf"
  echo "$checked" | grep -v -e 'syntax is ok' -e 'test is successful' >&2
  exit 1
fi
nginx -s reload
