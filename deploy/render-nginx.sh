#!/usr/bin/env bash
# Fill in deploy/nginx.conf.template: render-nginx.sh LISTEN PREFIX PORT... > /etc/nginx/mag.conf
#   deploy/render-nginx.sh 127.0.0.1:8080 /var/lib/mag-nginx 8501 8502 > /etc/nginx/mag.conf
#   sudo nginx -c /etc/nginx/mag.conf          (or run it under systemd; see docs/SERVICE.md)
set -euo pipefail
if [ $# -lt 3 ]; then
    echo "usage: $0 LISTEN PREFIX PORT [PORT...]" >&2
    exit 2
fi
listen=$1 prefix=$2
shift 2
upstreams=""
for port in "$@"; do
    upstreams+="server 127.0.0.1:${port} max_fails=0;"$'\n        '
done
template="$(dirname "${BASH_SOURCE[0]}")/nginx.conf.template"
awk -v listen="$listen" -v prefix="$prefix" -v up="$upstreams" '
    { gsub(/@LISTEN@/, listen); gsub(/@PREFIX@/, prefix); gsub(/@UPSTREAMS@/, up); print }
' "$template"
