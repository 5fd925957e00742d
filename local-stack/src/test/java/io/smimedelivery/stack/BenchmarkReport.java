package io.smimedelivery.stack;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** Formats the results of {@link BenchmarkIT} as the Markdown tables of docs/benchmarks.md. */
final class BenchmarkReport {

    private static final double MIB = 1024.0 * 1024.0;

    private BenchmarkReport() {
    }

    static String markdown(JsonNode result) {
        JsonNode pipeline = result.path("pipeline");
        JsonNode bounds = result.path("bounds");
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Run of %s: %d users x %d devices = %d devices, %d cores, load average %s at start%n%n",
                result.path("date").asText(), result.path("users").asInt(), result.path("devicesPerUser").asInt(),
                result.path("devices").asInt(), result.path("cores").asInt(), result.path("loadAverageAtStart").asText()));
        if (result.has("warmUp")) {
            text.append(String.format(Locale.ROOT, "Warm-up before the window: %d devices in %.0f s%n%n",
                    result.path("warmUp").path("devices").asInt(), result.path("warmUp").path("seconds").asDouble()));
        }

        text.append("| measure | value |\n|---|---|\n");
        row(text, "assignment to every device READY and every user notified", "%.1f s (%.0f devices/s)",
                pipeline.path("readyAndNotifiedSeconds").asDouble(), pipeline.path("readyAndNotifiedDevicesPerSecond").asDouble());
        row(text, "assignment to every device INSTALLED", "%.1f s (%.0f devices/s)", pipeline.path("installedSeconds").asDouble(),
                pipeline.path("installedDevicesPerSecond").asDouble());
        latencyRow(text, "assignment to READY (p50 / p95 / p99)", pipeline.path("assignmentToReadyMillis"));
        latencyRow(text, "assignment to NOTIFIED (p50 / p95 / p99)", pipeline.path("assignmentToNotifiedMillis"));
        latencyRow(text, "assignment to INSTALLED (p50 / p95 / p99)", pipeline.path("assignmentToInstalledMillis"));
        row(text, "bound: packaging (PKCS#12 + CMS), " + bounds.path("packaging").path("threads").asInt() + " threads",
                "%.0f devices/s", bounds.path("packaging").path("devicesPerSecond").asDouble());
        row(text, "bound: Kafka, " + bounds.path("kafka").path("recordsProduced").asLong() + " records produced and "
                + bounds.path("kafka").path("recordsDelivered").asLong() + " consumed", "%.0f devices/s (mean record %.0f bytes)",
                bounds.path("kafka").path("devicesPerSecond").asDouble(), bounds.path("kafka").path("meanRecordBytes").asDouble());
        row(text, "bound: PostgreSQL, " + bounds.path("postgresql").path("rowWrites").asLong() + " row inserts",
                "%.0f devices/s (mean row %.0f bytes)", bounds.path("postgresql").path("devicesPerSecond").asDouble(),
                bounds.path("postgresql").path("meanRowBytes").asDouble());
        row(text, "pipeline / tightest bound", "%.2f", pipeline.path("ratioToTightestBound").asDouble());
        row(text, "database size per device (all four databases, less their size before the run's set-up)", "%.1f KiB",
                result.path("databaseBytesPerDevice").asDouble() / 1024);
        double cpuSeconds = 0;
        double compilerSeconds = 0;
        for (JsonNode process : result.path("processes")) {
            cpuSeconds += process.path("cpuSeconds").asDouble();
            compilerSeconds += process.path("compilerCpuSeconds").asDouble();
        }
        row(text, "CPU time of all processes in the window, per device", "%.1f ms",
                cpuSeconds * 1000 / result.path("devices").asInt());
        row(text, "of which the JVMs' JIT compiler threads, per device", "%.1f ms",
                compilerSeconds * 1000 / result.path("devices").asInt());
        JsonNode machine = result.path("machine");
        if (machine.has("busyCpuSeconds")) {
            double busy = machine.path("busyCpuSeconds").asDouble();
            double all = busy + machine.path("idleCpuSeconds").asDouble();
            row(text, "CPU time of the whole machine in the window: busy, share of all cores", "%.1f s, %.0f %%", busy,
                    all > 0 ? 100 * busy / all : 0);
            row(text, "of which the harness JVM (simulated devices, GreenMail, driver), per device", "%.1f ms",
                    machine.path("harnessCpuSeconds").asDouble() * 1000 / result.path("devices").asInt());
        }
        JsonNode scep = result.path("scep");
        if (scep.has("enrollmentsPerSecond")) {
            row(text, "SCEP: " + scep.path("succeeded").asInt() + " of " + scep.path("requests").asInt() + " enrollments, "
                    + scep.path("concurrency").asInt() + " at a time", "%.0f enrollments/s", scep.path("enrollmentsPerSecond").asDouble());
            latencyRow(text, "SCEP request latency (p50 / p95 / p99)", scep.path("latencyMillis"));
        }

        text.append("\n| process | CPU time in the measured window | of which JIT compiler threads | of which VM thread (serial GC) |"
                + " peak memory |\n|---|---|---|---|---|\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = result.path("processes").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> process = it.next();
            JsonNode values = process.getValue();
            String memory = values.has("peakResidentBytes")
                    ? String.format(Locale.ROOT, "%.0f MiB (VmHWM)", values.path("peakResidentBytes").asLong() / MIB)
                    : String.format(Locale.ROOT, "%.0f MiB (summed Pss, sampled)", values.path("peakPssBytes").asLong() / MIB);
            String compiler = values.has("compilerCpuSeconds")
                    ? String.format(Locale.ROOT, "%.1f s", values.path("compilerCpuSeconds").asDouble()) : "";
            String vmThread = values.has("vmThreadCpuSeconds")
                    ? String.format(Locale.ROOT, "%.1f s", values.path("vmThreadCpuSeconds").asDouble()) : "";
            text.append(String.format(Locale.ROOT, "| %s | %.1f s | %s | %s | %s |%n", process.getKey(),
                    values.path("cpuSeconds").asDouble(), compiler, vmThread, memory));
        }
        JsonNode statements = result.path("statements");
        if (statements.has("top")) {
            text.append("\n| database | statement | calls per device | execution time |\n|---|---|---|---|\n");
            for (JsonNode statement : statements.path("top")) {
                text.append(String.format(Locale.ROOT, "| %s | `%s` | %.2f | %.1f s |%n", statement.path("database").asText(),
                        statement.path("query").asText().replace("|", "\\|").replace("`", "'"),
                        statement.path("callsPerDevice").asDouble(), statement.path("totalMillis").asDouble() / 1000));
            }
        }
        return text.toString();
    }

    private static void row(StringBuilder text, String name, String format, Object... values) {
        text.append("| ").append(name).append(" | ").append(String.format(Locale.ROOT, format, values)).append(" |\n");
    }

    private static void latencyRow(StringBuilder text, String name, JsonNode millis) {
        row(text, name, "%.2f / %.2f / %.2f s", millis.path("p50").asLong() / 1000.0, millis.path("p95").asLong() / 1000.0,
                millis.path("p99").asLong() / 1000.0);
    }
}
