package io.smimedelivery.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smimedelivery.events.EventJson;
import io.smimedelivery.infra.InfrastructureSettings;

/**
 * Measures one assignment fan-out on a {@link FaultStack}: users with certificate histories, devices, one
 * group assigned to an e-mail policy, and simulated devices that download and confirm their packages. It
 * then measures the raw bounds of the same work on the same machine (see {@link PipelineBounds} and
 * {@link PackagingBound}) and writes {@code target/benchmark-results.json} and
 * {@code target/benchmark-results.md}.
 *
 * <p>A second phase assigns a policy with SCEP signing to the same group and sends every device's SCEP
 * enrollment at once (see {@link ScepLoad}).
 *
 * <p>Runs only with {@code -Dbenchmark=true}. Sizes: {@code -Dbenchmark.devices} (default 1000) and
 * {@code -Dbenchmark.devicesPerUser} (default 2). docs/benchmarks.md describes the settings and results.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class BenchmarkIT {

    private static final Logger LOG = Logger.getLogger(BenchmarkIT.class);
    private static final int DEVICES = Integer.getInteger("benchmark.devices", 1000);
    private static final int DEVICES_PER_USER = Integer.getInteger("benchmark.devicesPerUser", 2);
    private static final String EMAIL_GATHER_DELAY = System.getProperty("benchmark.emailGatherDelay", "PT2S");
    private static final int EMAIL_RATE = Integer.getInteger("benchmark.emailRatePerSecond", 1000);
    private static final int FLEET_THREADS = Integer.getInteger("benchmark.fleetThreads", 4);
    /** Names of HotSpot's JIT compiler threads as Linux keeps them (15 characters). */
    private static final String[] COMPILER_THREADS = {"C1 CompilerThre", "C2 CompilerThre"};
    /** HotSpot's VM thread, which runs the collections of the serial collector and other safepoint work. */
    private static final String[] VM_THREAD = {"VM Thread"};
    /**
     * Devices of the unmeasured fan-out that runs first, so that the JIT has compiled the hot code; 0 skips
     * it. Unless set, half the measured devices, at least 1,000 and at most 5,000.
     */
    private static final int WARM_UP_DEVICES = Integer.getInteger("benchmark.warmUpDevices",
            Math.max(1000, Math.min(5000, DEVICES / 2)));
    /** Whether pg_stat_statements records the statements of the window; it loads the module into the embedded server. */
    private static final boolean STATEMENTS = Boolean.getBoolean("benchmark.statements");
    /** Whether the SCEP phase runs; it assigns a second policy, which doubles the fan-out work of a run. */
    private static final boolean SCEP = Boolean.parseBoolean(System.getProperty("benchmark.scep", "true"));
    /**
     * Pause between the benchmark's checks of the device states. The checks count rows in device-service's
     * database on the measured cores. Every 50 ms at 1,000 devices, they took 1.6 s of PostgreSQL execution
     * time in a 30 s window, and each count grows with the devices. The latencies come from the services'
     * timestamps, so the pause does not change them.
     */
    static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    /**
     * Interval of the PostgreSQL memory samples. Reading smaps_rollup of every backend took about 6 % of a
     * core at 500 ms, CPU time that the harness took from the measured cores.
     */
    private static final long POSTGRES_MEMORY_SAMPLE_MILLIS = 2000;
    private static final int PARTITIONS = 6;
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final Path RESULTS_JSON = Path.of("target", "benchmark-results.json");
    private static final Path RESULTS_MARKDOWN = Path.of("target", "benchmark-results.md");

    @TempDir
    Path dataDir;

    @Test
    void assignmentFanOut() throws Exception {
        int users = DEVICES / DEVICES_PER_USER;
        ObjectMapper json = EventJson.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode result = json.createObjectNode();
        result.put("date", Instant.now().atOffset(ZoneOffset.UTC).toString());
        result.put("users", users).put("devicesPerUser", DEVICES_PER_USER).put("devices", users * DEVICES_PER_USER);
        result.put("cores", CORES).put("loadAverageAtStart", loadAverage());
        result.put("emailGatherDelay", EMAIL_GATHER_DELAY).put("emailRatePerSecond", EMAIL_RATE);

        FaultStack.Settings settings = new FaultStack.Settings(PARTITIONS, EMAIL_GATHER_DELAY, "PT5M", EMAIL_RATE);
        if (STATEMENTS) {
            System.setProperty(InfrastructureSettings.EMBEDDED_POSTGRES_CONFIG, "shared_preload_libraries=pg_stat_statements");
        }
        try {
            runAndMeasure(settings, users, json, result);
        } finally {
            if (STATEMENTS) {
                System.clearProperty(InfrastructureSettings.EMBEDDED_POSTGRES_CONFIG);
            }
            copyLogs();
        }
        Files.writeString(RESULTS_JSON, json.writeValueAsString(result) + "\n");
        Files.writeString(RESULTS_MARKDOWN, BenchmarkReport.markdown(result));
        LOG.infof("Benchmark results in %s and %s", RESULTS_JSON.toAbsolutePath(), RESULTS_MARKDOWN.toAbsolutePath());
    }

    private void runAndMeasure(FaultStack.Settings settings, int users, ObjectMapper json, ObjectNode result) throws Exception {
        try (FaultStack stack = FaultStack.start(dataDir, settings)) {
            if (WARM_UP_DEVICES > 0) {
                warmUp(stack, result.putObject("warmUp"));
            }
            // Migrated databases, with the warm-up's data if any, take several MiB each, which is not data of the devices.
            long sizeBeforeSetUp = sumOverDatabases(stack, PipelineBounds::databaseSize);
            DeliveryDriver driver = new DeliveryDriver(stack, "bench", users, DEVICES_PER_USER).withCertificateHistory();
            Instant setUpStart = Instant.now();
            driver.setUp();
            result.put("setUpSeconds", seconds(setUpStart, Instant.now()));
            // Lets the services apply the enrollments before the measured window starts.
            FaultStack.sleep(Duration.ofSeconds(5));

            Map<String, Supplier<Long>> processes = processes(stack);
            Map<String, Double> cpuBefore = cpu(processes);
            Map<String, Double> compilerBefore = jvmThreadCpu(processes, COMPILER_THREADS);
            Map<String, Double> vmThreadBefore = jvmThreadCpu(processes, VM_THREAD);
            ProcessStats.MachineCpu machineBefore = ProcessStats.machineCpu();
            double harnessBefore = ProcessStats.cpuSeconds(ProcessHandle.current().pid(), false);
            Map<TopicPartition, Long> offsetsBefore = PipelineBounds.endOffsets(stack.bootstrapServers());
            long writesBefore = sumOverDatabases(stack, PipelineBounds::rowWrites);
            Map<String, Long> tableWritesBefore = writesByTable(stack);
            if (STATEMENTS) {
                PostgresStatements.reset(stack);
            }
            long sizeBefore = sumOverDatabases(stack, PipelineBounds::databaseSize);

            Instant assigned;
            Instant allNotifiedSeen;
            Instant allInstalledSeen;
            int devices = driver.deviceCount();
            Duration timeout = Duration.ofSeconds(120 + devices / 10);
            try (ProcessStats.GroupSampler sampler = new ProcessStats.GroupSampler(
                    Map.of("postgresql", processes.get("postgresql")), POSTGRES_MEMORY_SAMPLE_MILLIS);
                    DeviceFleet fleet = new DeviceFleet(stack, driver.policyId(),
                            driver::deviceKey, FLEET_THREADS, true)) {
                assigned = Instant.now();
                driver.assign();
                assertTrue(DeliveryDriver.await(() -> countStates(stack, driver.policyId(), "NOTIFIED", "RETRIEVED", "INSTALLED")
                        >= devices && driver.emailsReceived() >= users, timeout, POLL_INTERVAL),
                        "every device NOTIFIED and every user e-mailed");
                allNotifiedSeen = Instant.now();
                assertTrue(DeliveryDriver.await(() -> countStates(stack, driver.policyId(), "INSTALLED") >= devices, timeout,
                        POLL_INTERVAL),
                        "every device INSTALLED; fleet failures: " + fleet.failures());
                allInstalledSeen = Instant.now();
                result.put("postgresqlPeakPssBytes", sampler.peakBytes("postgresql"));
                result.put("fleetFailures", fleet.failures().size());
            }
            Map<String, Double> cpuAfter = cpu(processes);
            Map<String, Double> compilerAfter = jvmThreadCpu(processes, COMPILER_THREADS);
            Map<String, Double> vmThreadAfter = jvmThreadCpu(processes, VM_THREAD);
            ProcessStats.MachineCpu machine = ProcessStats.machineCpu().minus(machineBefore);
            double harnessSeconds = ProcessStats.cpuSeconds(ProcessHandle.current().pid(), false) - harnessBefore;
            FaultStack.sleep(Duration.ofSeconds(1));
            Map<TopicPartition, Long> offsetsAfter = PipelineBounds.endOffsets(stack.bootstrapServers());
            long writesAfter = sumOverDatabases(stack, PipelineBounds::rowWrites);
            Map<String, Long> tableWritesAfter = writesByTable(stack);
            if (STATEMENTS) {
                PostgresStatements.record(stack, driver.deviceCount(), result.putObject("statements"));
            }
            long sizeAfter = sumOverDatabases(stack, PipelineBounds::databaseSize);

            // Throughput and latency, from the services' own timestamps.
            Map<String, Instant> ready = timestamps(stack, FaultStack.CERTIFICATE,
                    "SELECT device_id, created_at FROM device_package WHERE policy_id = ? AND status = 'READY'", driver.policyId());
            Map<String, Instant> notified = transitions(stack, driver.policyId(), "NOTIFIED");
            Map<String, Instant> installed = transitions(stack, driver.policyId(), "INSTALLED");
            assertEquals(devices, ready.size(), "READY packages");
            assertEquals(devices, notified.size(), "NOTIFIED transitions");
            assertEquals(devices, installed.size(), "INSTALLED transitions");
            double readyAndNotifiedSeconds = seconds(assigned, Collections.max(notified.values()));
            double installedSeconds = seconds(assigned, Collections.max(installed.values()));
            ObjectNode pipeline = result.putObject("pipeline");
            pipeline.put("readyAndNotifiedSeconds", readyAndNotifiedSeconds);
            pipeline.put("readyAndNotifiedDevicesPerSecond", devices / readyAndNotifiedSeconds);
            pipeline.put("allReadySeconds", seconds(assigned, Collections.max(ready.values())));
            pipeline.put("installedSeconds", installedSeconds);
            pipeline.put("installedDevicesPerSecond", devices / installedSeconds);
            pipeline.put("pollObservedNotifiedSeconds", seconds(assigned, allNotifiedSeen));
            pipeline.put("pollObservedInstalledSeconds", seconds(assigned, allInstalledSeen));
            putPercentiles(pipeline.putObject("assignmentToReadyMillis"), latencies(assigned, ready));
            putPercentiles(pipeline.putObject("assignmentToNotifiedMillis"), latencies(assigned, notified));
            putPercentiles(pipeline.putObject("assignmentToInstalledMillis"), latencies(assigned, installed));

            // Resources of every process over the measured window.
            ObjectNode resources = result.putObject("processes");
            for (Map.Entry<String, Supplier<Long>> process : processes.entrySet()) {
                ObjectNode entry = resources.putObject(process.getKey());
                entry.put("cpuSeconds", cpuAfter.get(process.getKey()) - cpuBefore.get(process.getKey()));
                if (!process.getKey().equals("postgresql")) {
                    entry.put("peakResidentBytes", ProcessStats.peakResidentBytes(process.getValue().get()));
                    entry.put("compilerCpuSeconds", compilerAfter.get(process.getKey()) - compilerBefore.get(process.getKey()));
                    entry.put("vmThreadCpuSeconds", vmThreadAfter.get(process.getKey()) - vmThreadBefore.get(process.getKey()));
                }
            }
            resources.with("postgresql").put("peakPssBytes", result.remove("postgresqlPeakPssBytes").asLong());
            // The harness JVM runs the simulated devices, GreenMail and the driver on the measured cores.
            result.putObject("machine").put("busyCpuSeconds", machine.busySeconds())
                    .put("idleCpuSeconds", machine.idleSeconds()).put("harnessCpuSeconds", harnessSeconds);
            result.put("databaseBytes", sizeAfter).put("databaseBytesBeforeSetUp", sizeBeforeSetUp)
                    .put("databaseBytesPerDevice", (sizeAfter - sizeBeforeSetUp) / (double) devices);
            result.put("databaseBytesAddedPerDevice", (sizeAfter - sizeBefore) / (double) devices);
            ObjectNode tableWrites = result.putObject("rowWritesPerDevice");
            tableWritesAfter.forEach((table, after) -> {
                long written = after - tableWritesBefore.getOrDefault(table, 0L);
                if (written > 0) {
                    tableWrites.put(table, written / (double) devices);
                }
            });

            // Written now as well, so the pipeline's results survive a failure of the bounds.
            Files.writeString(RESULTS_JSON, json.writeValueAsString(result) + "\n");

            // The bounds: the same work without the pipeline around it.
            PipelineBounds.KafkaVolume kafka = PipelineBounds.kafkaVolume(stack.bootstrapServers(), offsetsBefore, offsetsAfter);
            double kafkaSeconds = PipelineBounds.kafkaSeconds(stack.bootstrapServers(), kafka, PARTITIONS);
            PipelineBounds.PostgresVolume postgres = new PipelineBounds.PostgresVolume(writesAfter - writesBefore,
                    sizeAfter - sizeBefore, (sizeAfter - sizeBefore) / (double) Math.max(1, writesAfter - writesBefore));
            double postgresSeconds;
            try (Connection connection = stack.database(FaultStack.DEVICE)) {
                postgresSeconds = PipelineBounds.postgresSeconds(connection, "postgres", "postgres", postgres, CORES);
            }
            double packagingSeconds = packagingBoundSeconds(users, DEVICES_PER_USER, CORES);
            ObjectNode bounds = result.putObject("bounds");
            bounds.putObject("kafka").put("recordsProduced", kafka.produced()).put("recordsDelivered", kafka.delivered())
                    .put("meanRecordBytes", kafka.meanRecordBytes()).put("seconds", kafkaSeconds)
                    .put("devicesPerSecond", devices / kafkaSeconds);
            bounds.putObject("postgresql").put("rowWrites", postgres.rowWrites()).put("meanRowBytes", postgres.meanRowBytes())
                    .put("seconds", postgresSeconds).put("devicesPerSecond", devices / postgresSeconds);
            bounds.putObject("packaging").put("threads", CORES).put("seconds", packagingSeconds)
                    .put("devicesPerSecond", devices / packagingSeconds);
            double tightest = Stream.of(kafkaSeconds, postgresSeconds, packagingSeconds).mapToDouble(s -> devices / s).min()
                    .orElseThrow();
            bounds.put("tightestDevicesPerSecond", tightest);
            pipeline.put("ratioToTightestBound", devices / readyAndNotifiedSeconds / tightest);
            Files.writeString(RESULTS_JSON, json.writeValueAsString(result) + "\n");

            if (SCEP) {
                ScepPhase.measure(stack, driver, processes, FLEET_THREADS, result.putObject("scep"));
            }
            result.put("loadAverageAtEnd", loadAverage());
        }
    }

    /**
     * Runs an unmeasured fan-out to users of its own ("warm" run, own group and policy) until every device is
     * INSTALLED. A service that has run for a while has compiled its hot code, and in a fresh JVM the JIT
     * compiler threads took about a third of the stack's CPU time during a 2,000-device window.
     */
    private static void warmUp(FaultStack stack, ObjectNode result) throws Exception {
        Instant started = Instant.now();
        DeliveryDriver warm = new DeliveryDriver(stack, "warm", Math.max(1, WARM_UP_DEVICES / DEVICES_PER_USER),
                DEVICES_PER_USER).withCertificateHistory();
        warm.setUp();
        int devices = warm.deviceCount();
        try (DeviceFleet fleet = new DeviceFleet(stack, warm.policyId(), warm::deviceKey, FLEET_THREADS, true)) {
            warm.assign();
            assertTrue(DeliveryDriver.await(() -> countStates(stack, warm.policyId(), "INSTALLED") >= devices,
                    Duration.ofSeconds(120 + devices / 10), POLL_INTERVAL),
                    "every warm-up device INSTALLED; fleet failures: " + fleet.failures());
        }
        result.put("devices", devices).put("seconds", seconds(started, Instant.now()));
        LOG.infof("Warm-up: %d devices set up, delivered and installed in %.0f s", devices, seconds(started, Instant.now()));
    }

    /** Copies the services' logs to target/benchmark-logs, because the temporary data folder is deleted. */
    private void copyLogs() throws IOException {
        Path target = Path.of("target", "benchmark-logs");
        Files.createDirectories(target);
        Path logs = dataDir.resolve("logs");
        if (!Files.isDirectory(logs)) {
            return;
        }
        try (Stream<Path> files = Files.list(logs)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, target.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The measured processes by name; each supplier returns the current process id. */
    private Map<String, Supplier<Long>> processes(FaultStack stack) {
        Map<String, Supplier<Long>> processes = new LinkedHashMap<>();
        for (FaultStack.Instance instance : stack.instances()) {
            processes.put(instance.name(), instance::pid);
        }
        processes.put("kafka-broker", stack::brokerPid);
        processes.put("postgresql", () -> postmasterPid(dataDir));
        return processes;
    }

    private static Map<String, Double> cpu(Map<String, Supplier<Long>> processes) {
        Map<String, Double> seconds = new HashMap<>();
        processes.forEach((name, pid) -> seconds.put(name, name.equals("postgresql")
                ? ProcessStats.groupCpuSeconds(pid.get()) : ProcessStats.cpuSeconds(pid.get(), false)));
        return seconds;
    }

    /** Returns the CPU seconds of the named threads of every JVM among {@code processes}, so without PostgreSQL. */
    private static Map<String, Double> jvmThreadCpu(Map<String, Supplier<Long>> processes, String[] prefixes) {
        Map<String, Double> seconds = new HashMap<>();
        processes.forEach((name, pid) -> {
            if (!name.equals("postgresql")) {
                seconds.put(name, ProcessStats.threadCpuSeconds(pid.get(), prefixes));
            }
        });
        return seconds;
    }

    private static long postmasterPid(Path dataDir) {
        try {
            return Long.parseLong(Files.readAllLines(dataDir.resolve("postgres").resolve("pgdata").resolve("postmaster.pid"))
                    .get(0).strip());
        } catch (IOException e) {
            throw new IllegalStateException("Reading postmaster.pid of the embedded PostgreSQL server failed: " + e.getMessage(), e);
        }
    }

    /** Runs {@link PackagingBound} in a JVM with certificate-service's packaged jars and returns its seconds. */
    private static double packagingBoundSeconds(int users, int devicesPerUser, int threads) throws Exception {
        Path root = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
        Path quarkusApp = root.resolve("certificate-service/target/quarkus-app");
        List<String> entries = new ArrayList<>();
        entries.add(Path.of("target", "test-classes").toAbsolutePath().toString());
        for (Path folder : List.of(quarkusApp.resolve("app"), quarkusApp.resolve("lib").resolve("main"))) {
            try (Stream<Path> jars = Files.list(folder)) {
                jars.map(Path::toString).filter(name -> name.endsWith(".jar")).sorted().forEach(entries::add);
            }
        }
        String classPath = String.join(":", entries);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LocalStack.SERVICE_JVM_OPTIONS);
        command.addAll(List.of("-cp", classPath, PackagingBound.class.getName(), Integer.toString(users),
                Integer.toString(devicesPerUser), Integer.toString(threads)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0 || !output.contains("seconds=")) {
            throw new IllegalStateException("The packaging bound failed: " + output);
        }
        return Double.parseDouble(output.substring(output.lastIndexOf("seconds=") + 8).strip());
    }

    private static int countStates(FaultStack stack, String policyId, String... states) {
        try (Connection connection = stack.database(FaultStack.DEVICE);
                PreparedStatement query = connection.prepareStatement(
                        "SELECT count(*) FROM device_status WHERE policy_id = ? AND state = ANY (?)")) {
            query.setString(1, policyId);
            query.setArray(2, connection.createArrayOf("text", states));
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Counting device states failed: " + e.getMessage(), e);
        }
    }

    private static Map<String, Instant> transitions(FaultStack stack, String policyId, String state) throws SQLException {
        return timestamps(stack, FaultStack.DEVICE, "SELECT device_id, min(changed_at) FROM status_transition"
                + " WHERE policy_id = ? AND to_state = '" + state + "' GROUP BY device_id", policyId);
    }

    private static Map<String, Instant> timestamps(FaultStack stack, String service, String sql, String policyId)
            throws SQLException {
        Map<String, Instant> times = new HashMap<>();
        try (Connection connection = stack.database(service); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, policyId);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    times.put(result.getString(1), result.getTimestamp(2).toInstant());
                }
            }
        }
        return times;
    }

    private interface DatabaseValue {
        long read(Connection connection) throws SQLException;
    }

    private interface DatabaseVisit {
        void visit(String service, Connection connection) throws SQLException;
    }

    /** Opens each of the four service databases in turn and hands it to {@code visit}. */
    private static void forEachDatabase(FaultStack stack, DatabaseVisit visit) throws SQLException {
        for (String service : List.of(FaultStack.POLICY, FaultStack.CERTIFICATE, FaultStack.NOTIFICATION, FaultStack.DEVICE)) {
            try (Connection connection = stack.database(service)) {
                visit.visit(service, connection);
            }
        }
    }

    private static long sumOverDatabases(FaultStack stack, DatabaseValue value) throws SQLException {
        long[] sum = { 0 };
        forEachDatabase(stack, (service, connection) -> sum[0] += value.read(connection));
        return sum[0];
    }

    /** Row writes of every user table of the four service databases, keyed service.table. */
    private static Map<String, Long> writesByTable(FaultStack stack) throws SQLException {
        Map<String, Long> writes = new java.util.TreeMap<>();
        forEachDatabase(stack, (service, connection) -> PipelineBounds.rowWritesByTable(connection)
                .forEach((table, count) -> writes.put(service + "." + table, count)));
        return writes;
    }

    private static List<Long> latencies(Instant assigned, Map<String, Instant> times) {
        List<Long> millis = new ArrayList<>();
        times.values().forEach(time -> millis.add(Duration.between(assigned, time).toMillis()));
        Collections.sort(millis);
        return millis;
    }

    static void putPercentiles(ObjectNode node, List<Long> sorted) {
        node.put("p50", percentile(sorted, 0.50)).put("p95", percentile(sorted, 0.95)).put("p99", percentile(sorted, 0.99))
                .put("max", sorted.get(sorted.size() - 1));
    }

    /** Nearest-rank percentile of a sorted list. */
    static long percentile(List<Long> sorted, double fraction) {
        int rank = (int) Math.ceil(fraction * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
