#!/usr/bin/env bash
# Runs the assignment fan-out benchmark (local-stack's BenchmarkIT) on this machine and prints the Markdown
# table of the results. The runner jars must be built first: ./mvnw -B -ntp -o package -DskipTests.
# docs/benchmarks.md describes what is measured and lists earlier results.
set -euo pipefail
cd "$(dirname "$0")"

devices=1000
devices_per_user=2
extra=()
usage() {
  cat <<USAGE
Usage: ./benchmark.sh [--devices N] [--devices-per-user D] [-Dname=value ...]
  --devices N           devices in the run (default 1000); users = N / D
  --devices-per-user D  devices of each user (default 2)
  -Dname=value          passed to Maven, for example -Dbenchmark.emailGatherDelay=PT5S
Results: local-stack/target/benchmark-results.json and local-stack/target/benchmark-results.md
USAGE
}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --devices) devices="$2"; shift 2 ;;
    --devices-per-user) devices_per_user="$2"; shift 2 ;;
    -D*) extra+=("$1"); shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "error: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

for service in policy-service certificate-service notification-service device-service; do
  if [[ ! -f "$service/target/quarkus-app/quarkus-run.jar" ]]; then
    echo "error: $service/target/quarkus-app/quarkus-run.jar is missing; run ./mvnw -B -ntp -o package -DskipTests first" >&2
    exit 1
  fi
done

./mvnw -B -ntp -o -pl local-stack -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=BenchmarkIT -Dfailsafe.failIfNoSpecifiedTests=false -Dbenchmark=true \
  -Dbenchmark.devices="$devices" -Dbenchmark.devicesPerUser="$devices_per_user" ${extra[@]+"${extra[@]}"}
cat local-stack/target/benchmark-results.md
