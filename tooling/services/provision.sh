#!/usr/bin/env bash
# Provision the backing services used by the @mq integration tests on a
# Debian 12 box, without Docker and without systemd as PID 1:
#
#   Redis      127.0.0.1:6379   (noeviction, no persistence)
#   PostgreSQL 127.0.0.1:5432   (role mq/mq, superuser, databases mq + mq_test, max_connections 500)
#   RabbitMQ   127.0.0.1:5672   (user mq/mq, administrator, full permissions on /)
#   FerretDB   127.0.0.1:27017  (v1.24.2, SQLite handler; MongoDB wire protocol)
#   mongo-java-server 127.0.0.1:27018 (1.46.0, in-memory, reports MongoDB 6.0 / wire 17)
#
# Usage (as root):
#   bash tooling/services/provision.sh          # progress on stderr, export lines on stdout
#   eval "$(bash tooling/services/provision.sh --env)"
#
# Environment:
#   MQ_SKIP_MONGO=1           a FerretDB or mongo-java-server failure is not fatal (its URL is omitted)
#   MQ_PROVISION_TIMEOUT=120  seconds to wait for each service to answer
#
# Idempotent: packages are only installed when missing, servers are only
# started when their port does not answer.
set -euo pipefail

ENV_ONLY=0
for arg in "$@"; do
  case "$arg" in
    --env) ENV_ONLY=1 ;;
    -h | --help)
      sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2
      exit 0
      ;;
    *)
      echo "provision.sh: unknown argument: $arg (supported: --env, --help)" >&2
      exit 2
      ;;
  esac
done

# fd 3 = the real stdout (export lines only); everything else goes to stderr.
exec 3>&1 1>&2

TIMEOUT="${MQ_PROVISION_TIMEOUT:-120}"
FERRETDB_VERSION="v1.24.2"
FERRETDB_MODULE="github.com/FerretDB/FerretDB"
FERRETDB_DATA=/var/lib/ferretdb
FERRETDB_LOG=/var/log/ferretdb.log
MJS_SRC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/mongo-java-server"
MJS_HOME=/opt/mq/mongo-java-server
MJS_PORT=27018
MJS_LOG=/var/log/mongo-java-server.log
RABBIT_START_LOG=/var/log/rabbitmq/provision-start.log
PG_CLUSTER=main
PG_MAX_CONNECTIONS=500

export DEBIAN_FRONTEND=noninteractive
# Any epmd started by us (rabbitmq-server or the rabbitmq CLI) listens on loopback only.
export ERL_EPMD_ADDRESS=127.0.0.1

T0=$SECONDS
log() { printf '[provision %3ss] %s\n' "$((SECONDS - T0))" "$*" >&2; }
warn() { printf '\n[provision] !!!!!!!! WARNING: %s\n\n' "$*" >&2; }
die() {
  printf '\n[provision] ERROR: %s\n' "$*" >&2
  exit 1
}

# tcp_open PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
# write_if_changed FILE CONTENT: (re)write FILE; true only when its content changed.
write_if_changed() {
  if [[ -f "$1" ]] && [[ "$(cat "$1")" == "${2%$'\n'}" ]]; then return 1; fi
  install -d "$(dirname "$1")"
  printf '%s' "$2" >"$1"
}

tcp_open() { timeout 2 bash -c "exec 9<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# wait_for NAME LOGFILE CMD...: retry CMD until it succeeds or $TIMEOUT seconds pass.
wait_for() {
  local name=$1 logfile=$2
  shift 2
  local deadline=$((SECONDS + TIMEOUT)) out=""
  while true; do
    if out=$("$@" 2>&1); then
      log "$name is ready"
      return 0
    fi
    if ((SECONDS >= deadline)); then
      {
        echo
        echo "[provision] ERROR: $name did not become ready within ${TIMEOUT}s."
        echo "[provision] last check: $*"
        echo "[provision] last check output: ${out:-<none>}"
        if [[ -n "$logfile" && -e "$logfile" ]]; then
          echo "[provision] ---- last 40 lines of $logfile ----"
          tail -n 40 "$logfile" || true
          echo "[provision] ---- end of $logfile ----"
        fi
      } >&2
      exit 1
    fi
    sleep 1
  done
}

[[ $EUID -eq 0 ]] || die "must run as root (it installs packages and starts system services)"

# --------------------------------------------------------------------------- apt
pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

install_packages() {
  local missing=() p
  for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
  if ((${#missing[@]} == 0)); then
    log "apt: $* already installed"
    return 0
  fi
  log "apt: installing ${missing[*]} (this takes a minute or two)"
  # Keep maintainer scripts from starting the daemons (no systemd; we start them
  # ourselves, bound to loopback). Only remove the policy file if we created it.
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    created_policy=1
  fi
  local apt_opts=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=600
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  local rc=0
  if ! apt-get install "${apt_opts[@]}" "${missing[@]}" 3>&-; then
    log "apt: install failed; refreshing package lists (apt-get update) and retrying once"
    apt-get update -q -o DPkg::Lock::Timeout=600 3>&- || true
    apt-get install "${apt_opts[@]}" "${missing[@]}" 3>&- || rc=$?
  fi
  if ((created_policy)); then rm -f "$policy"; fi
  ((rc == 0)) || die "apt-get install ${missing[*]} failed (rc=$rc); see the apt output above"
  log "apt: installed ${missing[*]}"
}

# chromium: the @mq/admin browser tests drive Debian's chromium with playwright-core
# (Playwright's own browser download does not work on these machines). Java and Maven
# build the mongo-java-server launcher.
install_packages redis-server postgresql rabbitmq-server chromium openjdk-17-jdk-headless maven

# ------------------------------------------------------------------------- redis
redis_ping() { [[ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>&1)" == PONG ]]; }

REDIS_LOG=/var/log/redis/redis-server.log
if redis_ping; then
  log "redis: already answering on 127.0.0.1:6379"
else
  tcp_open 6379 && die "redis: port 6379 is in use but does not answer PING with PONG: $(redis-cli -p 6379 ping 2>&1)"
  log "redis: starting"
  install -d -o redis -g redis -m 750 /var/lib/redis /var/log/redis
  install -d -o redis -g redis -m 755 /run/redis
  touch "$REDIS_LOG" && chown redis:redis "$REDIS_LOG"
  # shellcheck disable=SC2094 # pre-daemonize errors are appended to the same log file
  runuser -u redis -- redis-server \
    --bind 127.0.0.1 --port 6379 --protected-mode yes \
    --daemonize yes --supervised no \
    --pidfile /run/redis/redis-server.pid --logfile "$REDIS_LOG" --dir /var/lib/redis \
    --maxmemory-policy noeviction --save '' --appendonly no \
    </dev/null >>"$REDIS_LOG" 2>&1 3>&- ||
    die "redis: redis-server failed to start; tail of $REDIS_LOG: $(tail -n 20 "$REDIS_LOG" 2>/dev/null)"
fi
wait_for redis "$REDIS_LOG" redis_ping

# -------------------------------------------------------------------- postgresql
PG_VER=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)
[[ -n "$PG_VER" && -x /usr/lib/postgresql/$PG_VER/bin/postgres ]] || die "postgres: no server binary under /usr/lib/postgresql"
PG_LOG=/var/log/postgresql/postgresql-$PG_VER-$PG_CLUSTER.log
PG_CONF_DIR=/etc/postgresql/$PG_VER/$PG_CLUSTER

if [[ ! -d $PG_CONF_DIR ]]; then
  log "postgres: creating cluster $PG_VER/$PG_CLUSTER"
  pg_createcluster "$PG_VER" "$PG_CLUSTER" --port 5432
fi

# Our settings live in a conf.d drop-in (the stock postgresql.conf includes conf.d).
PG_DROPIN=$PG_CONF_DIR/conf.d/90-mq-provision.conf
PG_DROPIN_CONTENT="# Written by tooling/services/provision.sh (test box settings)
listen_addresses = '127.0.0.1'
port = 5432
max_connections = $PG_MAX_CONNECTIONS
# throwaway test data: trade durability for speed
fsync = off
full_page_writes = off
# PostgreSQL's default, kept on purpose: with asynchronous commit a scan may not mark the
# index entries of rows deleted or updated by a commit the WAL writer has not flushed yet
# as dead (hint bits wait for the flush), so every queue scan re-reads them. With fsync
# off a synchronous commit is a plain write() anyway.
synchronous_commit = on
"
pg_conf_changed=0
if write_if_changed "$PG_DROPIN" "$PG_DROPIN_CONTENT"; then
  chown postgres:postgres "$PG_CONF_DIR/conf.d" "$PG_DROPIN"
  pg_conf_changed=1
fi

pg_running() { pg_lsclusters -h "$PG_VER" "$PG_CLUSTER" 2>/dev/null | awk '{print $4}' | grep -q '^online'; }
pg_ready() { pg_isready -q -h 127.0.0.1 -p 5432 -t 2; }

if pg_running; then
  if ((pg_conf_changed)); then
    log "postgres: configuration changed, restarting cluster $PG_VER/$PG_CLUSTER"
    pg_ctlcluster "$PG_VER" "$PG_CLUSTER" restart -m fast </dev/null 3>&- ||
      die "postgres: restart failed; tail of $PG_LOG: $(tail -n 30 "$PG_LOG" 2>/dev/null)"
  else
    log "postgres: cluster $PG_VER/$PG_CLUSTER already running"
  fi
else
  tcp_open 5432 && die "postgres: port 5432 is in use by something other than cluster $PG_VER/$PG_CLUSTER"
  log "postgres: starting cluster $PG_VER/$PG_CLUSTER"
  install -d -o postgres -g postgres -m 2775 /run/postgresql
  pg_ctlcluster "$PG_VER" "$PG_CLUSTER" start </dev/null 3>&- || die "postgres: pg_ctlcluster start failed; tail of $PG_LOG: $(tail -n 30 "$PG_LOG" 2>/dev/null)"
fi
wait_for postgres "$PG_LOG" pg_ready

MQ_POSTGRES_URL=postgres://mq:mq@127.0.0.1:5432/mq_test
pg_mq_ok() {
  [[ "$(psql "$MQ_POSTGRES_URL" -XAtqc "select rolsuper from pg_roles where rolname = current_user" 2>/dev/null)" == t ]] &&
    [[ "$(psql "${MQ_POSTGRES_URL%/*}/mq" -XAtqc 'select 1' 2>/dev/null)" == 1 ]]
}
if pg_mq_ok; then
  log "postgres: role mq and databases mq, mq_test already set up"
else
  log "postgres: creating/updating role mq and databases mq, mq_test"
  runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -d postgres <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mq') THEN
    CREATE ROLE mq LOGIN SUPERUSER CREATEDB CREATEROLE PASSWORD 'mq';
  ELSE
    ALTER ROLE mq LOGIN SUPERUSER CREATEDB CREATEROLE PASSWORD 'mq';
  END IF;
END
$$;
SELECT 'CREATE DATABASE mq OWNER mq' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'mq') \gexec
SELECT 'CREATE DATABASE mq_test OWNER mq' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'mq_test') \gexec
SQL
fi
pg_check() {
  [[ "$(psql "$MQ_POSTGRES_URL" -XAtqc 'select 1' 2>&1)" == 1 ]] || {
    psql "$MQ_POSTGRES_URL" -XAtqc 'select 1' 2>&1
    return 1
  }
}
wait_for "postgres (SELECT 1 as mq)" "$PG_LOG" pg_check
pg_maxconn=$(psql "$MQ_POSTGRES_URL" -XAtqc 'show max_connections')
((pg_maxconn >= 300)) || die "postgres: max_connections is $pg_maxconn (< 300) even after reconfiguration; check $PG_CONF_DIR"

# ---------------------------------------------------------------------- rabbitmq
RABBIT_ENV_CONF=/etc/rabbitmq/rabbitmq-env.conf
RABBIT_ENV_CONTENT='# Written by tooling/services/provision.sh: loopback only, no network needed.
NODENAME=rabbit@localhost
NODE_IP_ADDRESS=127.0.0.1
NODE_PORT=5672
# Erlang distribution (used by rabbitmqctl) on loopback as well; epmd too.
SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
export ERL_EPMD_ADDRESS=127.0.0.1
'
RABBIT_LOG=/var/log/rabbitmq/rabbit@localhost.log
rabbit_conf_changed=0
if write_if_changed "$RABBIT_ENV_CONF" "$RABBIT_ENV_CONTENT"; then rabbit_conf_changed=1; fi

rabbit_ping() { rabbitmq-diagnostics -q ping; }
rabbit_ready() { tcp_open 5672 && rabbitmq-diagnostics -q check_port_connectivity; }

if tcp_open 5672 && rabbit_ready >/dev/null 2>&1; then
  if ((rabbit_conf_changed)); then
    warn "rabbitmq: $RABBIT_ENV_CONF changed but the running node was left alone; restart it to apply"
  fi
  log "rabbitmq: already answering on 127.0.0.1:5672"
else
  if tcp_open 5672 && ! rabbit_ping >/dev/null 2>&1; then
    die "rabbitmq: port 5672 is in use but rabbit@localhost does not answer rabbitmq-diagnostics ping"
  fi
  log "rabbitmq: starting (rabbitmq-server -detached)"
  install -d -o rabbitmq -g rabbitmq /var/lib/rabbitmq /var/log/rabbitmq
  : >"$RABBIT_START_LOG"
  (cd /var/lib/rabbitmq && rabbitmq-server -detached) </dev/null >>"$RABBIT_START_LOG" 2>&1 3>&- ||
    die "rabbitmq: rabbitmq-server -detached failed; see $RABBIT_START_LOG: $(tail -n 30 "$RABBIT_START_LOG")"
  # check_port_connectivity only succeeds once the broker has booted and its AMQP listener accepts.
  wait_for rabbitmq "$RABBIT_LOG" rabbit_ready
fi

rabbit_user_ok() {
  rabbitmqctl -q list_users 2>/dev/null | grep -Eq '^mq[[:space:]].*administrator' &&
    rabbitmqctl -q list_user_permissions mq 2>/dev/null | grep -Eq '^/[[:space:]]+\.\*[[:space:]]+\.\*[[:space:]]+\.\*' &&
    rabbitmqctl -q authenticate_user mq mq >/dev/null 2>&1
}
if rabbit_user_ok; then
  log "rabbitmq: user mq already set up"
else
  log "rabbitmq: creating/updating user mq"
  if rabbitmqctl -q list_users 2>/dev/null | grep -Eq '^mq[[:space:]]'; then
    rabbitmqctl -q change_password mq mq
  else
    rabbitmqctl -q add_user mq mq
  fi
  rabbitmqctl -q set_user_tags mq administrator
  rabbitmqctl -q set_permissions -p / mq '.*' '.*' '.*'
  rabbit_user_ok || die "rabbitmq: user mq still not set up correctly after add_user/set_permissions"
fi

# ---------------------------------------------------------------------- ferretdb
GOBIN_DIR=""
FERRETDB_BIN=""
MONGO_OK=0

mongo_fail() {
  if [[ "${MQ_SKIP_MONGO:-}" == 1 ]]; then
    warn "FerretDB SKIPPED (MQ_SKIP_MONGO=1): $*
         MQ_MONGO_URL will NOT be exported; MongoDB-backed tests must skip."
    return 0
  fi
  die "ferretdb: $*
  (set MQ_SKIP_MONGO=1 to continue without the MongoDB-compatible service)"
}

# The output is read whole before matching: with pipefail, `grep -q` quitting at the
# first match can kill the writer with SIGPIPE and fail a binary that works.
ferretdb_works() {
  local out
  [[ -x "$1" ]] && out=$("$1" --version 2>/dev/null) && grep -q "^version: $FERRETDB_VERSION\$" <<<"$out"
}

# Builds FerretDB into $FERRETDB_BIN. A plain `go install ...@v1.24.2` produces a
# binary that panics at startup ("Invalid build/version/version.txt file content"):
# the module zip lacks the generated build/version/version.txt (upstream issue
# FerretDB#4001). So we build from a copy of the module source with that file
# written, which is what `go install` would otherwise compile.
FERRET_ERR=""
build_ferretdb() {
  local build_log=/var/log/ferretdb-build.log src t_start
  command -v go >/dev/null || {
    FERRET_ERR="'go' is not on PATH (needed to build FerretDB $FERRETDB_VERSION)"
    return 1
  }
  t_start=$SECONDS
  log "ferretdb: building $FERRETDB_MODULE/cmd/ferretdb@$FERRETDB_VERSION with $(go version | awk '{print $3}') (1-2 min on 2 cores); log: $build_log"
  : >"$build_log"
  local json dir
  # go mod download -json reports failures in the JSON ("Error") and exits non-zero.
  json=$(go mod download -json "$FERRETDB_MODULE@$FERRETDB_VERSION" 2>>"$build_log") || true
  printf '%s\n' "$json" >>"$build_log"
  dir=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
  if [[ -z "$dir" || ! -d "$dir" ]]; then
    FERRET_ERR="go mod download $FERRETDB_MODULE@$FERRETDB_VERSION failed (GOPROXY=$(go env GOPROXY) unreachable?): $(grep -E '"Error"' <<<"$json" || tail -n 15 "$build_log")"
    return 1
  fi
  src=$(mktemp -d /tmp/ferretdb-src.XXXXXX)
  cp -R "$dir/." "$src/"
  chmod -R u+w "$src"
  echo "$FERRETDB_VERSION" >"$src/build/version/version.txt"
  echo "mq-provision" >"$src/build/version/package.txt"
  mkdir -p "$GOBIN_DIR"
  if ! (cd "$src" && GOFLAGS=-buildvcs=false go build -trimpath -o "$FERRETDB_BIN.tmp" ./cmd/ferretdb) >>"$build_log" 2>&1; then
    rm -rf "$src"
    FERRET_ERR="go build of FerretDB $FERRETDB_VERSION failed: $(tail -n 25 "$build_log")"
    return 1
  fi
  rm -rf "$src"
  mv -f "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  if ! ferretdb_works "$FERRETDB_BIN"; then
    FERRET_ERR="built $FERRETDB_BIN but '$FERRETDB_BIN --version' does not report $FERRETDB_VERSION: $("$FERRETDB_BIN" --version 2>&1 | head -n 5)"
    return 1
  fi
  log "ferretdb: built $FERRETDB_BIN in $((SECONDS - t_start))s"
}

# mongo_ping PORT speaks the MongoDB wire protocol directly (no mongosh needed): sends an
# OP_MSG carrying {ping: 1, $db: "admin"} and expects a reply document containing ok: 1.0.
mongo_ping() {
  local port=$1
  tcp_open "$port" || {
    echo "nothing accepts connections on 127.0.0.1:$port"
    return 1
  }
  local reply
  # shellcheck disable=SC2016 # the inner script is single-quoted on purpose
  reply=$(PORT=$port timeout 5 bash -c '
    exec 9<>/dev/tcp/127.0.0.1/$PORT || exit 1
    printf "\x33\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\xdd\x07\x00\x00\x00\x00\x00\x00\x00\x1e\x00\x00\x00\x10ping\x00\x01\x00\x00\x00\x02\$db\x00\x06\x00\x00\x00admin\x00\x00" >&9
    dd bs=4096 count=1 status=none <&9 | od -An -tx1 | tr -d " \n"
  ' 2>&1) || true
  # "ok" as BSON double 1.0: 01 'o' 'k' 00 + 0x3ff0000000000000 (little-endian)
  [[ "$reply" == *016f6b00000000000000f03f* ]] || {
    echo "port $port is open but the MongoDB ping got no {ok: 1} reply (hex: ${reply:-<empty>})"
    return 1
  }
}
ferretdb_ping() { mongo_ping 27017; }

setup_ferretdb() {
  if command -v go >/dev/null; then
    GOBIN_DIR=$(go env GOBIN)
    [[ -n "$GOBIN_DIR" ]] || GOBIN_DIR="$(go env GOPATH | cut -d: -f1)/bin"
  else
    GOBIN_DIR="${HOME:-/root}/go/bin"
  fi
  FERRETDB_BIN=$GOBIN_DIR/ferretdb

  if ferretdb_works "$FERRETDB_BIN"; then
    log "ferretdb: $FERRETDB_BIN ($FERRETDB_VERSION) already built"
  else
    [[ -e "$FERRETDB_BIN" ]] && log "ferretdb: existing $FERRETDB_BIN is unusable ($("$FERRETDB_BIN" --version 2>&1 | head -n 1)); rebuilding"
    if ! build_ferretdb || ! ferretdb_works "$FERRETDB_BIN"; then
      mongo_fail "could not build FerretDB $FERRETDB_VERSION: ${FERRET_ERR:-unknown error}"
      return 0
    fi
  fi

  if tcp_open 27017; then
    if ferretdb_ping >/dev/null 2>&1; then
      log "ferretdb: already answering on 127.0.0.1:27017"
      MONGO_OK=1
      return 0
    fi
    mongo_fail "port 27017 is in use but does not answer a MongoDB ping"
    return 0
  fi

  log "ferretdb: starting (SQLite handler, data in $FERRETDB_DATA, log $FERRETDB_LOG)"
  install -d -m 750 "$FERRETDB_DATA" "$FERRETDB_DATA/state"
  # shellcheck disable=SC2164 # cd / cannot fail
  (cd / && exec setsid nohup "$FERRETDB_BIN" \
    --handler=sqlite --sqlite-url="file:$FERRETDB_DATA/" \
    --listen-addr=127.0.0.1:27017 \
    --state-dir="$FERRETDB_DATA/state" \
    --telemetry=disable --debug-addr=- \
    --log-level=info --log-format=text \
    >>"$FERRETDB_LOG" 2>&1 </dev/null 3>&-) &
  disown || true

  if [[ "${MQ_SKIP_MONGO:-}" == 1 ]]; then
    # wait_for exits the script on timeout; run it in a subshell to keep going.
    if ! (wait_for ferretdb "$FERRETDB_LOG" ferretdb_ping); then
      mongo_fail "FerretDB did not answer on 127.0.0.1:27017 (see above)"
      return 0
    fi
  else
    wait_for ferretdb "$FERRETDB_LOG" ferretdb_ping
  fi
  MONGO_OK=1
}
setup_ferretdb

# ------------------------------------------------------------- mongo-java-server
# An in-memory MongoDB-wire server whose collection operations are each synchronized,
# so single-document updates are atomic (FerretDB's findAndModify is not). The jars come
# from Maven Central through `mvn dependency:copy-dependencies` on the small pom in
# tooling/services/mongo-java-server; the launcher (a few lines of Java) is compiled with
# javac. It reports MongoDB 6.0 (wire version 17) because the Node driver refuses the
# default wire version 7. Rebuilt when the pom or the launcher source changes.
MJS_OK=0
MJS_ERR=""
mjs_fail() {
  if [[ "${MQ_SKIP_MONGO:-}" == 1 ]]; then
    warn "mongo-java-server SKIPPED (MQ_SKIP_MONGO=1): $*
         MQ_MONGO_JAVA_URL will NOT be exported; tests that need it must skip."
    return 0
  fi
  die "mongo-java-server: $*
  (set MQ_SKIP_MONGO=1 to continue without it)"
}

mjs_stamp() { cat "$MJS_SRC_DIR/pom.xml" "$MJS_SRC_DIR/MongoJavaServer.java" | sha256sum | cut -d' ' -f1; }

build_mjs() {
  local build_log=/var/log/mongo-java-server-build.log stamp
  stamp=$(mjs_stamp)
  if [[ -f "$MJS_HOME/stamp" && "$(cat "$MJS_HOME/stamp")" == "$stamp" && -f "$MJS_HOME/classes/MongoJavaServer.class" ]]; then
    log "mongo-java-server: $MJS_HOME already built"
    return 0
  fi
  command -v mvn >/dev/null || { MJS_ERR="'mvn' is not on PATH"; return 1; }
  command -v javac >/dev/null || { MJS_ERR="'javac' is not on PATH"; return 1; }
  log "mongo-java-server: fetching jars with Maven and compiling the launcher; log: $build_log"
  : >"$build_log"
  rm -rf "$MJS_HOME.tmp"
  install -d "$MJS_HOME.tmp/lib" "$MJS_HOME.tmp/classes"
  if ! mvn -B -q -f "$MJS_SRC_DIR/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$MJS_HOME.tmp/lib" </dev/null >>"$build_log" 2>&1 3>&-; then
    MJS_ERR="mvn dependency:copy-dependencies failed (Maven Central unreachable?): $(tail -n 25 "$build_log")"
    return 1
  fi
  if ! javac -d "$MJS_HOME.tmp/classes" -cp "$MJS_HOME.tmp/lib/*" "$MJS_SRC_DIR/MongoJavaServer.java" >>"$build_log" 2>&1; then
    MJS_ERR="javac of the launcher failed: $(tail -n 25 "$build_log")"
    return 1
  fi
  echo "$stamp" >"$MJS_HOME.tmp/stamp"
  rm -rf "$MJS_HOME"
  mv "$MJS_HOME.tmp" "$MJS_HOME"
  log "mongo-java-server: built into $MJS_HOME"
}

mjs_ping() { mongo_ping "$MJS_PORT"; }

setup_mjs() {
  if ! build_mjs; then
    mjs_fail "could not build: ${MJS_ERR:-unknown error}"
    return 0
  fi
  if tcp_open "$MJS_PORT"; then
    if mjs_ping >/dev/null 2>&1; then
      log "mongo-java-server: already answering on 127.0.0.1:$MJS_PORT"
      MJS_OK=1
      return 0
    fi
    mjs_fail "port $MJS_PORT is in use but does not answer a MongoDB ping"
    return 0
  fi
  log "mongo-java-server: starting on 127.0.0.1:$MJS_PORT (in memory, log $MJS_LOG)"
  # shellcheck disable=SC2164 # cd / cannot fail
  (cd / && exec setsid nohup java -Xmx512m -cp "$MJS_HOME/classes:$MJS_HOME/lib/*" \
    MongoJavaServer 127.0.0.1 "$MJS_PORT" >>"$MJS_LOG" 2>&1 </dev/null 3>&-) &
  disown || true
  if [[ "${MQ_SKIP_MONGO:-}" == 1 ]]; then
    if ! (wait_for mongo-java-server "$MJS_LOG" mjs_ping); then
      mjs_fail "it did not answer on 127.0.0.1:$MJS_PORT (see above)"
      return 0
    fi
  else
    wait_for mongo-java-server "$MJS_LOG" mjs_ping
  fi
  MJS_OK=1
}
setup_mjs

# ------------------------------------------------------------------------ summary
{
  echo
  log "all services up:"
  echo "  redis      $(redis-server --version | grep -o 'v=[^ ]*' | cut -d= -f2)  127.0.0.1:6379  (log $REDIS_LOG)"
  echo "  postgres   $(psql "$MQ_POSTGRES_URL" -XAtqc 'show server_version')  127.0.0.1:5432  max_connections=$pg_maxconn  (log $PG_LOG)"
  echo "  rabbitmq   $(dpkg-query -W -f='${Version}' rabbitmq-server)  127.0.0.1:5672  (log $RABBIT_LOG)"
  if ((MONGO_OK)); then
    echo "  ferretdb   $FERRETDB_VERSION  127.0.0.1:27017  (log $FERRETDB_LOG)"
  else
    echo "  ferretdb   SKIPPED"
  fi
  if ((MJS_OK)); then
    echo "  mongo-java-server  1.46.0  127.0.0.1:$MJS_PORT  (log $MJS_LOG)"
  else
    echo "  mongo-java-server  SKIPPED"
  fi
  echo
} >&2

{
  echo "export MQ_REDIS_URL=redis://127.0.0.1:6379"
  echo "export MQ_POSTGRES_URL=$MQ_POSTGRES_URL"
  ((MONGO_OK)) && echo "export MQ_MONGO_URL=mongodb://127.0.0.1:27017/"
  ((MJS_OK)) && echo "export MQ_MONGO_JAVA_URL=mongodb://127.0.0.1:$MJS_PORT/"
  echo "export MQ_AMQP_URL=amqp://mq:mq@127.0.0.1:5672"
} >&3
# Progress always goes to stderr and stdout only ever carries the export lines,
# so --env differs only in this hint.
if ((!ENV_ONLY)); then
  # shellcheck disable=SC2016 # literal on purpose
  log 'done; to load these into a shell: eval "$(bash tooling/services/provision.sh --env)"'
fi
