#!/bin/sh
# ngip-colour: the colour live.conf names, then the colour that the web and
# the ping port answer from now (the X-Ngip-Colour header), one per line.
sed -n 's/^# ngip colour //p' /etc/nginx/ngip/live.conf
for port in 8080 8081; do
  answer=$(curl -s -o /dev/null --max-time 2 -w '%header{x-ngip-colour}' "http://127.0.0.1:$port/health") \
    || answer=unreachable
  echo "${answer:-unreachable}"
done
