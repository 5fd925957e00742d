#!/usr/bin/env bash
# Starts the whole system on this machine without Docker: Kafka, PostgreSQL, an SMTP server and the four
# services. Builds the project first when the services are not built yet or when --build is given.
# Every other option goes to the launcher; ./local-stack.sh --help lists them.
set -euo pipefail
cd "$(dirname "$0")"

build=false
args=()
for arg in "$@"; do
  if [[ "$arg" == "--build" ]]; then build=true; else args+=("$arg"); fi
done

for service in policy-service certificate-service notification-service device-service; do
  [[ -f "$service/target/quarkus-app/quarkus-run.jar" ]] || build=true
done
[[ -f local-stack/target/local-stack.jar ]] || build=true

if [[ "$build" == true ]]; then
  echo "Building the project (./mvnw install -DskipTests)..."
  ./mvnw -B -q install -DskipTests
fi

exec java -jar local-stack/target/local-stack.jar ${args[@]+"${args[@]}"}
