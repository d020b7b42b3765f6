#!/usr/bin/env bash
# A Spark standalone cluster on this machine, from Maven's copy of Spark (no Spark download):
#   jobs/local-cluster.sh up [--workers N] [--cores C] [--memory M] [--port P] [--webui-port U] [--dir DIR]
#   jobs/local-cluster.sh status [--dir DIR]
#   jobs/local-cluster.sh down [--dir DIR]
# up starts a master on 127.0.0.1 (spark://127.0.0.1:7077 unless --port says otherwise; web UI on
# --webui-port, default 8080, 0 for any free port) and N workers (default 2) of C cores (default 1)
# and M memory for executors (default 1g) each, waits until every worker has registered, and
# prints the master URL. Submit to it with
#   SPARK_SUBMIT_OPTS_EXTRA="--master spark://127.0.0.1:7077" jobs/submit.sh conf/a9a.conf ...
# Everything (SPARK_HOME, logs, pid files, the workers' work dirs holding executor logs) lives
# under DIR, default target/local-cluster. SPARK_HOME is a folder whose jars/ links to the Spark
# jars Maven resolved (target/spark-classpath.txt); the workers start executors from it.
source "$(dirname "$0")/common.sh"

usage() {
  sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

[ $# -ge 1 ] || usage
ACTION=$1
shift
WORKERS=2
CORES=1
MEMORY=1g
PORT=7077
WEBUI_PORT=8080
DIR="$ROOT/target/local-cluster"
while [ $# -gt 0 ]; do
  case "$1" in
    --workers) WORKERS=$2 ;;
    --cores) CORES=$2 ;;
    --memory) MEMORY=$2 ;;
    --port) PORT=$2 ;;
    --webui-port) WEBUI_PORT=$2 ;;
    --dir) DIR=$2 ;;
    *) echo "error: unknown option $1" >&2; usage ;;
  esac
  [ $# -ge 2 ] || { echo "error: $1 needs a value" >&2; exit 2; }
  shift 2
done
for n in "$WORKERS" "$CORES" "$PORT" "$WEBUI_PORT"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "error: expected a whole number, got '$n'" >&2; exit 2; }
done
[ "$WORKERS" -ge 1 ] && [ "$CORES" -ge 1 ] \
  || { echo "error: --workers and --cores must be >= 1" >&2; exit 2; }
[[ "$MEMORY" =~ ^[0-9]+[mMgG]$ ]] || { echo "error: --memory must look like 512m or 2g, got '$MEMORY'" >&2; exit 2; }
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
SPARK_HOME_DIR="$DIR/spark-home"
MASTER_URL_FILE="$DIR/master-url"

# The daemons run with the JVM flags of common.sh (not its driver settings: heap, log4j, master,
# UI) and log at Spark's default level, INFO (the readiness checks below read those lines).
# C1 only and the serial collector: the daemons do little, and start faster so.
DAEMON_OPTS=(-Xmx512m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
for opt in "${JAVA_OPTS[@]}"; do
  case "$opt" in
    -Xmx*|-Dlog4j2.*|-Dspark.*) ;;
    *) DAEMON_OPTS+=("$opt") ;;
  esac
done

alive() {  # alive PIDFILE: the process in PIDFILE runs
  [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

spark_home() {
  if [ ! -f "$CLASSPATH_FILE" ]; then
    echo "building (for $CLASSPATH_FILE) ..." >&2
    (cd "$ROOT" && mvn -B -q -DskipTests package) >&2
  fi
  rm -rf "$SPARK_HOME_DIR"
  mkdir -p "$SPARK_HOME_DIR/jars"
  # A RELEASE file marks a binary distribution: Spark's launcher then takes jars/ as the classpath.
  echo "Spark from Maven, assembled by jobs/local-cluster.sh" > "$SPARK_HOME_DIR/RELEASE"
  tr ':' '\n' < "$CLASSPATH_FILE" | while read -r jar || [ -n "$jar" ]; do
    [ -n "$jar" ] && ln -s "$jar" "$SPARK_HOME_DIR/jars/$(basename "$jar")"
  done
}

start_daemon() {  # start_daemon NAME CLASS ARGS...: runs CLASS in the background, logs to DIR/logs/NAME.log
  local name=$1 cls=$2
  shift 2
  SPARK_HOME="$SPARK_HOME_DIR" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 \
    nohup java "${DAEMON_OPTS[@]}" -cp "$SPARK_HOME_DIR/jars/*" "$cls" "$@" > "$DIR/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$DIR/pids/$name.pid"
}

wait_for() {  # wait_for NAME PATTERN SECONDS: until NAME's log has PATTERN, or fail with its tail
  local name=$1 pattern=$2 deadline=$((SECONDS + $3))
  until grep -q "$pattern" "$DIR/logs/$name.log" 2>/dev/null; do
    if ! alive "$DIR/pids/$name.pid" || [ $SECONDS -ge $deadline ]; then
      echo "error: $name did not start (no '$pattern' in $DIR/logs/$name.log); its log ends:" >&2
      tail -n 20 "$DIR/logs/$name.log" >&2
      stop_all
      exit 1
    fi
    sleep 0.2
  done
}

stop_all() {
  local f pid
  # Workers first (each stops its executors), then the master.
  for f in "$DIR"/pids/worker-*.pid "$DIR/pids/master.pid"; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$f"
  done
  rm -f "$MASTER_URL_FILE"
}

status() {
  local up=0 f
  for f in "$DIR/pids/master.pid" "$DIR"/pids/worker-*.pid; do
    [ -f "$f" ] || continue
    if alive "$f"; then
      echo "$(basename "$f" .pid): running, pid $(cat "$f")"
      up=$((up + 1))
    else
      echo "$(basename "$f" .pid): NOT running (pid $(cat "$f")); log $DIR/logs/$(basename "$f" .pid).log"
    fi
  done
  if [ $up -eq 0 ]; then
    echo "no local cluster in $DIR"
    return 1
  fi
  echo "master: $(cat "$MASTER_URL_FILE" 2>/dev/null)"
  grep -ho "started at http://[^ ]*" "$DIR/logs/master.log" | sed 's/started at/web UI:/' | head -1
  echo "logs: $DIR/logs (executors: $DIR/work-*/<app>/<executor>/stderr)"
}

case "$ACTION" in
  up)
    if alive "$DIR/pids/master.pid"; then
      echo "a local cluster already runs in $DIR:"
      status
      exit 0
    fi
    if port_in_use "$PORT"; then
      echo "error: port $PORT on 127.0.0.1 is in use; choose another with --port" >&2
      exit 1
    fi
    stop_all
    spark_home
    rm -rf "$DIR/logs" "$DIR/pids"
    mkdir -p "$DIR/logs" "$DIR/pids"
    start_daemon master org.apache.spark.deploy.master.Master \
      --host 127.0.0.1 --port "$PORT" --webui-port "$WEBUI_PORT"
    URL="spark://127.0.0.1:$PORT"
    # Workers start together with the master: they retry until it is there.
    for i in $(seq 1 "$WORKERS"); do
      mkdir -p "$DIR/work-$i"
      start_daemon "worker-$i" org.apache.spark.deploy.worker.Worker \
        --host 127.0.0.1 --cores "$CORES" --memory "$MEMORY" --work-dir "$DIR/work-$i" \
        --webui-port 0 "$URL"
    done
    wait_for master "I have been elected leader" 90
    for i in $(seq 1 "$WORKERS"); do
      wait_for "worker-$i" "Successfully registered with master" 90
    done
    echo "$URL" > "$MASTER_URL_FILE"
    echo "local cluster up: $URL, $WORKERS workers x $CORES cores x $MEMORY; logs in $DIR/logs"
    ;;
  down)
    stop_all
    echo "local cluster in $DIR stopped"
    ;;
  status)
    status
    ;;
  *)
    usage
    ;;
esac
