#!/usr/bin/env bash
# Starts the whole system on this machine without Docker: Kafka, PostgreSQL, an SMTP server and the four
# services. Builds the project first when the services are not built yet or when --build is given.
# Every other option goes to the launcher; ./local-stack.sh --help lists them.
set -euo pipefail
cd "$(dirname "$0")"

build=false
help=false
args=()
for arg in "$@"; do
  case "$arg" in
    --build) build=true ;;
    --help|-h) help=true; args+=("$arg") ;;
    *) args+=("$arg") ;;
  esac
done

if [[ "$help" == true && "$build" == false && ! -f local-stack/target/local-stack.jar ]]; then
  echo "Usage: ./local-stack.sh [--build] [options]"
  echo "The project is not built yet. ./local-stack.sh builds it on its first run;"
  echo "./local-stack.sh --build --help builds it and then lists every option."
  exit 0
fi

for service in policy-service certificate-service notification-service device-service; do
  [[ -f "$service/target/quarkus-app/quarkus-run.jar" ]] || build=true
done
[[ -f local-stack/target/local-stack.jar ]] || build=true
[[ -f device-simulator/target/device-simulator.jar ]] || build=true

if [[ "$build" == true ]]; then
  echo "Building the project (./mvnw install -DskipTests; a few minutes on the first run)..."
  ./mvnw -B -q install -DskipTests
fi

exec java -jar local-stack/target/local-stack.jar ${args[@]+"${args[@]}"}
