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
run_main() {
  build_if_needed
  exec java "${JAVA_OPTS[@]}" -cp "$JAR:$(cat "$CLASSPATH_FILE")" dev.sparknewton.cli.Main "$@"
}
