#!/usr/bin/env bash
# A Spark Connect server on this machine, from Maven's copy of Spark (no Spark download):
#   jobs/connect-server.sh up [--port P] [--master M] [--memory X] [--dir DIR]
#   jobs/connect-server.sh status [--dir DIR]
#   jobs/connect-server.sh down [--dir DIR]
# up starts org.apache.spark.sql.connect.service.SparkConnectServer (spark-connect, on the
# project's provided Spark classpath) listening on sc://localhost:P (default 15002), with master
# M (default local[*]) and heap X (default 4g), waits until it accepts connections and prints the
# URL. Train through it with
#   jobs/train.sh conf/a9a.conf spark.remote=sc://localhost:15002     (or SPARK_REMOTE=...)
# The log and pid file live under DIR, default target/connect-server.
source "$(dirname "$0")/common.sh"

usage() {
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

[ $# -ge 1 ] || usage
ACTION=$1
shift
PORT=15002
MASTER='local[*]'
MEMORY=4g
DIR="$ROOT/target/connect-server"
while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT=$2 ;;
    --master) MASTER=$2 ;;
    --memory) MEMORY=$2 ;;
    --dir) DIR=$2 ;;
    *) echo "error: unknown option $1" >&2; usage ;;
  esac
  [ $# -ge 2 ] || { echo "error: $1 needs a value" >&2; exit 2; }
  shift 2
done
[[ "$PORT" =~ ^[0-9]+$ ]] || { echo "error: --port: expected a whole number, got '$PORT'" >&2; exit 2; }
[[ "$MEMORY" =~ ^[0-9]+[mMgG]$ ]] || { echo "error: --memory must look like 512m or 2g, got '$MEMORY'" >&2; exit 2; }
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
PID_FILE="$DIR/server.pid"
LOG="$DIR/server.log"
URL_FILE="$DIR/url"

alive() {
  [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The JVM flags of common.sh without its driver settings (heap, log4j, master, UI).
SERVER_OPTS=("-Xmx$MEMORY")
for opt in "${JAVA_OPTS[@]}"; do
  case "$opt" in
    -Xmx*|-Dlog4j2.*|-Dspark.*) ;;
    *) SERVER_OPTS+=("$opt") ;;
  esac
done

stop() {
  if [ -f "$PID_FILE" ]; then
    local pid
    pid=$(cat "$PID_FILE")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$PID_FILE"
  fi
  rm -f "$URL_FILE"
}

case "$ACTION" in
  up)
    if alive; then
      echo "a Spark Connect server already runs: $(cat "$URL_FILE" 2>/dev/null), pid $(cat "$PID_FILE")"
      exit 0
    fi
    if port_in_use "$PORT"; then
      echo "error: port $PORT on 127.0.0.1 is in use; choose another with --port" >&2
      exit 1
    fi
    SERVER_JARS=("$ROOT"/target/connect/server/*.jar)
    if [ ! -f "$CLASSPATH_FILE" ] || [ ! -f "${SERVER_JARS[0]}" ]; then
      echo "building (for $CLASSPATH_FILE and target/connect) ..." >&2
      (cd "$ROOT" && mvn -B -q -DskipTests package) >&2
      SERVER_JARS=("$ROOT"/target/connect/server/*.jar)
    fi
    stop
    SPARK_LOCAL_IP=127.0.0.1 nohup java "${SERVER_OPTS[@]}" \
      -cp "$(cat "$CLASSPATH_FILE"):$(IFS=:; echo "${SERVER_JARS[*]}")" \
      "-Dspark.master=$MASTER" -Dspark.app.name=spark-newton-connect -Dspark.ui.enabled=false \
      "-Dspark.connect.grpc.binding.port=$PORT" \
      org.apache.spark.sql.connect.service.SparkConnectServer > "$LOG" 2>&1 < /dev/null &
    echo $! > "$PID_FILE"
    deadline=$((SECONDS + 120))
    until port_in_use "$PORT"; do
      if ! alive || [ $SECONDS -ge $deadline ]; then
        echo "error: the Spark Connect server did not start listening on port $PORT; $LOG ends:" >&2
        tail -n 20 "$LOG" >&2
        stop
        exit 1
      fi
      sleep 0.3
    done
    echo "sc://localhost:$PORT" > "$URL_FILE"
    echo "Spark Connect server up: sc://localhost:$PORT (master $MASTER, pid $(cat "$PID_FILE")); log $LOG"
    ;;
  down)
    stop
    echo "Spark Connect server in $DIR stopped"
    ;;
  status)
    if alive; then
      echo "running: $(cat "$URL_FILE" 2>/dev/null), pid $(cat "$PID_FILE"); log $LOG"
    else
      echo "no Spark Connect server running from $DIR"
      exit 1
    fi
    ;;
  *)
    usage
    ;;
esac
