#!/bin/bash
# start.sh DIR [PORT]  (tests/helpers/object-store.ts runs it for the S3 tests)
#
# Creates a throw-away single-node Ceph cluster under DIR (one mon, one memstore
# OSD, cephx on) and a radosgw S3 endpoint on 127.0.0.1:PORT (default 7480).
# Everything the cluster writes lives under DIR. On success, stdout carries only
# KEY=value lines (eval them, or read them as a dotenv file; DIR/env holds the
# same lines); progress and errors go to stderr. Stop it with stop.sh DIR.
#
# Environment (all optional):
#   S3_ACCESS_KEY / S3_SECRET_KEY  keys for the S3 user (random when unset)
#   MON_PORT                       monitor port (default: a free port)
#   WITH_MGR=1                     also run a ceph-mgr (RGW does not need it; it adds ~300 MB RSS,
#                                  and gives `ceph -s` / `ceph df` their usage numbers)
#   MEMSTORE_BYTES                 capacity the in-memory OSD reports (default 4 GiB)
#   RGW_LC_DEBUG_INTERVAL=N        make one lifecycle "day" last N seconds (for expiry tests)
set -euo pipefail

usage() { echo "usage: $0 DIR [PORT]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
PORT=${2:-7480}
[[ $PORT =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1 ] && [ "$PORT" -le 65535 ] || { echo "start.sh: bad PORT '$PORT'" >&2; exit 2; }
case "$1" in *[[:space:]\$\#\;]*) echo "start.sh: DIR must not contain whitespace, \$, # or ;" >&2; exit 2;; esac

mkdir -p "$1"
DIR=$(cd "$1" && pwd -P)
if [ -n "$(ls -A "$DIR")" ]; then
  echo "start.sh: $DIR is not empty; pass a fresh directory (if a store runs there, stop.sh it first, then remove it)" >&2
  exit 1
fi

log() { echo "[object-store] $*" >&2; }
T0=$(date +%s.%N)
elapsed() { awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# --- packages ------------------------------------------------------------------
PKGS="ceph-mon ceph-osd radosgw"
[ "${WITH_MGR:-0}" = 1 ] && PKGS="$PKGS ceph-mgr"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  log "installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends $missing >&2
  T0=$(date +%s.%N)
fi

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
s3_ready() { # an anonymous GET / that RGW answers with a bucket list
  local resp
  resp=$( (exec 3<>"/dev/tcp/127.0.0.1/$PORT" || exit 1
           printf 'GET / HTTP/1.0\r\nHost: 127.0.0.1:%s\r\n\r\n' "$PORT" >&3
           timeout 5 cat <&3) 2>/dev/null) || true
  [[ $resp == *ListAllMyBucketsResult* ]]
}
port_free "$PORT" || { echo "start.sh: 127.0.0.1:$PORT is already in use" >&2; exit 1; }
if [ -z "${MON_PORT:-}" ]; then
  MON_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
fi
port_free "$MON_PORT" || { echo "start.sh: MON_PORT 127.0.0.1:$MON_PORT is already in use" >&2; exit 1; }

CONF=$DIR/ceph.conf
KEYRING=$DIR/keyring
RGW_NAME=client.rgw.gw
FSID=$(cat /proc/sys/kernel/random/uuid)
OSD_UUID=$(cat /proc/sys/kernel/random/uuid)
mkdir -p "$DIR"/{mon.a,osd.0,rgw,log,run,crash}
: > "$DIR/pids"

# --- on failure: stop what was started, show the logs ---------------------------
ok=0
cleanup() {
  [ "$ok" = 1 ] && return
  log "start failed after $(elapsed) s; stopping what was started (logs stay in $DIR/log)"
  for f in "$DIR"/log/*.out; do  # each daemon's stderr; full logs are the *.log files
    [ -s "$f" ] || continue
    echo "----- $f (tail)" >&2; tail -n 8 "$f" >&2
  done
  "$(dirname "$0")/stop.sh" "$DIR" >&2 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- config ---------------------------------------------------------------------
MEMSTORE_BYTES=${MEMSTORE_BYTES:-4294967296}
# admin sockets are UNIX sockets (path limit 107 bytes); without them everything still works
ASOK="$DIR/run/\$name.asok"
[ ${#DIR} -le 80 ] || ASOK=""
# daemons take ports from 6800-7300; keep that range clear of the gateway's port
if [ "$PORT" -ge 6800 ] && [ "$PORT" -le 7300 ]; then BIND_MIN=7301 BIND_MAX=7800; else BIND_MIN=6800 BIND_MAX=7300; fi
cat > "$CONF" <<EOF
[global]
fsid = $FSID
mon host = [v2:127.0.0.1:$MON_PORT]
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv4 = true
ms bind ipv6 = false
ms bind msgr1 = false
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
auth allow insecure global id reclaim = false
keyring = $KEYRING
run dir = $DIR/run
admin socket = $ASOK
pid file = $DIR/run/\$name.pid
log file = $DIR/log/\$name.log
crash dir = $DIR/crash
mon cluster log file = $DIR/log/cluster.log
log to stderr = false
err to stderr = true
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
mon data avail warn = 2
mon data avail crit = 1
ms bind port min = $BIND_MIN
ms bind port max = $BIND_MAX
# one mon, nothing to batch: commit map changes (pool creation, OSD boot) without the 1 s wait
paxos propose interval = 0.05

[mon]
mon data = $DIR/mon.\$id

[mgr]
mgr data = $DIR/mgr.\$id

[osd]
osd data = $DIR/osd.\$id
osd objectstore = memstore
memstore device bytes = $MEMSTORE_BYTES
# one OSD, no replicas to catch up: a short PG log keeps its memory flat under steady writes
osd min pg log entries = 100
osd max pg log entries = 500
osd target pg log entries per osd = 10000
osd pg log dups tracked = 500

[$RGW_NAME]
rgw frontends = beast endpoint=127.0.0.1:$PORT
rgw data = $DIR/rgw
rgw thread pool size = 32
# deleted data is held in the OSD's memory until RGW's garbage collector removes it (default: after 2 h)
rgw gc obj min wait = 60
rgw gc processor period = 60
EOF
if [ -n "${RGW_LC_DEBUG_INTERVAL:-}" ]; then
  echo "rgw lc debug interval = $RGW_LC_DEBUG_INTERVAL" >> "$CONF"
fi

# --- keys (one keyring; the mon seeds its auth database from it at mkfs) ---------
ceph-authtool --create-keyring "$KEYRING" --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-authtool "$KEYRING" --gen-key -n client.admin \
  --cap mon 'allow *' --cap osd 'allow *' --cap mds 'allow *' --cap mgr 'allow *' >/dev/null
ceph-authtool "$KEYRING" --gen-key -n osd.0 \
  --cap mon 'allow profile osd' --cap mgr 'allow profile osd' --cap osd 'allow *' >/dev/null
ceph-authtool "$KEYRING" --gen-key -n mgr.x \
  --cap mon 'allow profile mgr' --cap mds 'allow *' --cap osd 'allow *' >/dev/null
ceph-authtool "$KEYRING" --gen-key -n "$RGW_NAME" \
  --cap mon 'allow rw' --cap osd 'allow rwx' --cap mgr 'allow rw' >/dev/null
chmod 600 "$KEYRING"

# --- daemons ----------------------------------------------------------------------
# Each runs in the foreground (-f) in its own session, so the PID recorded is the
# daemon itself and a Ctrl-C aimed at the caller does not reach it.
spawn() { # name cmd...
  local name=$1; shift
  setsid "$@" < /dev/null > "$DIR/log/$name.out" 2>&1 &
  echo "$! $name" >> "$DIR/pids"
}
alive() { # name -> exit 1 (with log) if that daemon has died
  local pid
  pid=$(awk -v n="$1" '$2 == n { print $1 }' "$DIR/pids")
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null || grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then
    log "$1 exited"; return 1
  fi
}

monmaptool --create --fsid "$FSID" --addv a "[v2:127.0.0.1:$MON_PORT]" "$DIR/monmap" >/dev/null
ceph-mon -c "$CONF" -i a --mkfs --monmap "$DIR/monmap" --keyring "$KEYRING" > "$DIR/log/mon-mkfs.out" 2>&1
spawn mon.a ceph-mon -c "$CONF" -i a -f

# osd.0: registered in the osdmap, then its (in-memory) store is created
timeout 60 ceph -c "$CONF" --connect-timeout 30 osd new "$OSD_UUID" 0 >/dev/null
ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$OSD_UUID" > "$DIR/log/osd-mkfs.out" 2>&1
spawn osd.0 ceph-osd -c "$CONF" -i 0 -f

if [ "${WITH_MGR:-0}" = 1 ]; then
  mkdir -p "$DIR/mgr.x"
  spawn mgr.x ceph-mgr -c "$CONF" -i x -f
fi
log "mon and osd started ($(elapsed) s)"

# --- S3 user, then the gateway ------------------------------------------------------
# radosgw-admin creates the default realm/zone and its pools; running it before the
# gateway avoids both racing to create them.
AK=${S3_ACCESS_KEY:-$(od -An -tx1 -N10 /dev/urandom | tr -d ' \n' | tr a-f A-F)}
SK=${S3_SECRET_KEY:-$(od -An -tx1 -N20 /dev/urandom | tr -d ' \n')}
# RGW's zonegroup has no S3 region name; SigV4 with any region is accepted, but CreateBucket
# with a LocationConstraint other than the zonegroup's fails, and us-east-1 sends none.
REGION=us-east-1
timeout 120 radosgw-admin -c "$CONF" user create --uid=test --display-name="test user" \
  --access-key="$AK" --secret-key="$SK" > "$DIR/log/user-create.out" 2>&1 \
  || { log "radosgw-admin user create failed"; exit 1; }
log "S3 user created ($(elapsed) s)"

spawn rgw radosgw -c "$CONF" -n "$RGW_NAME" -f
up=0
for _ in $(seq 1 1200); do
  if s3_ready; then up=1; break; fi
  alive rgw && alive osd.0 && alive mon.a || exit 1
  sleep 0.1
done
[ "$up" = 1 ] || { log "radosgw did not answer on 127.0.0.1:$PORT within 120 s"; exit 1; }

PIDS=$(awk '{ printf "%s%s", sep, $1; sep = " " }' "$DIR/pids")
{
  echo "S3_ENDPOINT=http://127.0.0.1:$PORT"
  echo "S3_ACCESS_KEY=$AK"
  echo "S3_SECRET_KEY=$SK"
  echo "S3_REGION=$REGION"
  if [ -n "${RGW_LC_DEBUG_INTERVAL:-}" ]; then echo "S3_LC_DAY_SECONDS=$RGW_LC_DEBUG_INTERVAL"; fi
  echo "S3_STORE_PIDS=\"$PIDS\""
} > "$DIR/env"
ok=1
log "radosgw answers on 127.0.0.1:$PORT after $(elapsed) s (pids: $PIDS)"
cat "$DIR/env"
