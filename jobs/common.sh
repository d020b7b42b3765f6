# Shared by the jobs/ scripts: builds the jar when it is missing or older than the sources, and
# sets JAVA_OPTS to the JVM flags Spark's launcher adds on Java 17
# (org.apache.spark.launcher.JavaModuleOptions; the same list as Surefire's argLine in pom.xml).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR="$ROOT/target/spark-newton-0.1.0-SNAPSHOT.jar"
CLASSPATH_FILE="$ROOT/target/spark-classpath.txt"

build_if_needed() {
  if [ ! -f "$JAR" ] || [ ! -f "$CLASSPATH_FILE" ] \
      || [ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$JAR" -print -quit)" ]; then
    echo "building $JAR ..." >&2
    (cd "$ROOT" && mvn -B -q -DskipTests package) >&2
  fi
}

JAVA_OPTS=(
  -XX:+IgnoreUnrecognizedVMOptions
  --add-modules=jdk.incubator.vector
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false
  -Dio.netty.tryReflectionSetAccessible=true
  "-Xmx${SPARK_NEWTON_DRIVER_MEMORY:-6g}"
  "-Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties"
  "-Dspark.master=${SPARK_NEWTON_MASTER:-local[*]}"
  -Dspark.ui.enabled=false
)

# Runs the main class locally with Spark from the Maven classpath: run_main COMMAND ARGS...
# With spark.remote=sc://... among the arguments (or SPARK_REMOTE set) the JVM is a Spark Connect
# client instead: the client classpath, no local Spark; the job uploads the jar to the server.
run_main() {
  build_if_needed
  if [ -n "$(connect_remote "$@")" ]; then
    exec java "${JAVA_OPTS[@]}" -cp "$JAR:$(connect_client_classpath)" dev.sparknewton.cli.Main "$@"
  fi
  exec java "${JAVA_OPTS[@]}" -cp "$JAR:$(cat "$CLASSPATH_FILE")" dev.sparknewton.cli.Main "$@"
}

# The classpath of a Spark Connect client JVM (jobs/train.sh with spark.remote): the Java client
# Maven copied into target/connect/client (pom.xml, profile connect) ahead of Spark's own jars.
# The job forces a Connect session (ConnectSessions: builder().connect()), so it has no
# SparkContext and no RDDs; Spark's jars are there because the 4.0.1 client, alone, cannot resolve
# a schema holding Spark ML's vector type (VectorUDT needs catalyst's InternalRow, and catalyst
# without spark-core breaks the client's SQL configuration). ConnectSuite builds the same list.
connect_client_classpath() {
  local jars=("$ROOT"/target/connect/client/*.jar)
  [ -f "${jars[0]}" ] || { echo "error: no Spark Connect client in $ROOT/target/connect/client (built by the pom's connect profile: mvn -B -DskipTests package)" >&2; return 1; }
  echo "$(IFS=:; echo "${jars[*]}"):$(cat "$CLASSPATH_FILE")"
}

# The Spark Connect URL of the job, if any: spark.remote=... among the arguments, else SPARK_REMOTE.
connect_remote() {
  local a url="${SPARK_REMOTE:-}"
  for a in "$@"; do
    case "$a" in spark.remote=*) url=${a#spark.remote=} ;; esac
  done
  echo "$url"
}
