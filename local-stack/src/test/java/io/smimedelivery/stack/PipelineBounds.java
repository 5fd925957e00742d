package io.smimedelivery.stack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.smimedelivery.events.Topics;

/**
 * Measures what the pipeline moved through Kafka and PostgreSQL during a run, and the raw rates of the
 * same volume on the same broker and server: the bounds that {@link BenchmarkIT} compares the pipeline with.
 */
final class PipelineBounds {

    /** Consumer groups that read each topic, from the flow table in docs/architecture.md. */
    static final Map<String, Integer> CONSUMER_GROUPS = Map.of(Topics.POLICY_ASSIGNMENTS, 3, Topics.DEVICE_ENROLLMENTS, 2,
            Topics.CERTIFICATE_PACKAGES, 2, Topics.NOTIFICATIONS, 1, Topics.RETRIEVAL_STATUS, 0);
    private static final int PG_BATCH = 500;

    private PipelineBounds() {
    }

    /** Records produced and delivered to consumer groups, and their mean size with key and headers. */
    record KafkaVolume(long produced, long delivered, double meanRecordBytes) {
    }

    /** Row writes (inserts, updates and deletes) in the service databases and their mean stored size. */
    record PostgresVolume(long rowWrites, long bytesAdded, double meanRowBytes) {
    }

    /** Returns the end offset of every partition of the event topics. */
    static Map<TopicPartition, Long> endOffsets(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<String, TopicDescription> topics = admin.describeTopics(CONSUMER_GROUPS.keySet()).allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            topics.values().forEach(topic -> topic.partitions().forEach(partition -> request.put(
                    new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest())));
            Map<TopicPartition, Long> offsets = new HashMap<>();
            admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).forEach((partition, info) -> offsets.put(partition, info.offset()));
            return offsets;
        } catch (Exception e) {
            throw new IllegalStateException("Reading the end offsets of the event topics failed: " + e.getMessage(), e);
        }
    }

    /** Reads the records between two sets of end offsets and returns their count and mean size. */
    static KafkaVolume kafkaVolume(String bootstrapServers, Map<TopicPartition, Long> before, Map<TopicPartition, Long> after) {
        long produced = 0;
        long delivered = 0;
        long bytes = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(bootstrapServers, null))) {
            for (Map.Entry<TopicPartition, Long> end : after.entrySet()) {
                long start = before.getOrDefault(end.getKey(), 0L);
                long count = end.getValue() - start;
                if (count <= 0) {
                    continue;
                }
                produced += count;
                delivered += count * CONSUMER_GROUPS.get(end.getKey().topic());
                consumer.assign(List.of(end.getKey()));
                consumer.seek(end.getKey(), start);
                long read = 0;
                while (read < count) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(2))) {
                        if (record.offset() >= end.getValue()) {
                            continue;
                        }
                        bytes += size(record);
                        read++;
                    }
                }
            }
        }
        return new KafkaVolume(produced, delivered, produced == 0 ? 0 : (double) bytes / produced);
    }

    private static long size(ConsumerRecord<byte[], byte[]> record) {
        long size = (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length);
        for (Header header : record.headers()) {
            size += header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        return size;
    }

    /**
     * Produces {@code volume.produced()} records of the mean size (acks=all, idempotent, as the outbox relay
     * does) to a new topic with {@code partitions} partitions, then consumes {@code volume.delivered()}
     * records from it with as many consumer groups as needed. Returns the seconds both took together.
     */
    static double kafkaSeconds(String bootstrapServers, KafkaVolume volume, int partitions) throws Exception {
        String topic = "bench.bound." + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            awaitLeaders(admin, topic);
        }

        byte[] value = new byte[(int) Math.max(1, Math.round(volume.meanRecordBytes()) - 16)];
        new Random(1).nextBytes(value);

        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        long start;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig)) {
            producer.partitionsFor(topic);
            start = System.nanoTime();
            for (long i = 0; i < volume.produced(); i++) {
                producer.send(new ProducerRecord<>(topic, String.format("device-%010d", i).getBytes(), value));
            }
            producer.flush();
        }

        long remaining = volume.delivered();
        while (remaining > 0) {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(bootstrapServers,
                    "bench-bound-" + UUID.randomUUID()))) {
                consumer.subscribe(List.of(topic));
                long pass = Math.min(remaining, volume.produced());
                long read = 0;
                while (read < pass) {
                    read += consumer.poll(Duration.ofMillis(500)).count();
                }
                remaining -= pass;
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Waits until every partition of a new topic has a leader. An idempotent producer that sends before
     * then gets NOT_LEADER_OR_FOLLOWER and, with Kafka 4.1 clients, can keep retrying with
     * OUT_OF_ORDER_SEQUENCE_NUMBER.
     */
    private static void awaitLeaders(Admin admin, String topic) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic);
            if (description.partitions().stream().allMatch(partition -> partition.leader() != null
                    && !partition.leader().isEmpty())) {
                Thread.sleep(1000);
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("The partitions of topic " + topic + " got no leader within 30 s");
    }

    private static Properties consumerConfig(String bootstrapServers, String group) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return config;
    }

    /** Sums n_tup_ins, n_tup_upd and n_tup_del over the user tables of a database. */
    static long rowWrites(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(
                        "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables")) {
            result.next();
            return result.getLong(1);
        }
    }

    /** n_tup_ins + n_tup_upd + n_tup_del of each user table of a database, by table name. */
    static Map<String, Long> rowWritesByTable(Connection connection) throws SQLException {
        Map<String, Long> writes = new TreeMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(
                        "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables")) {
            while (result.next()) {
                writes.put(result.getString(1), result.getLong(2));
            }
        }
        return writes;
    }

    static long databaseSize(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT pg_database_size(current_database())")) {
            result.next();
            return result.getLong(1);
        }
    }

    /**
     * Creates a database {@code bench_bound_<random>} on the server of {@code template}, inserts
     * {@code volume.rowWrites()} rows of the mean size in batches of {@value #PG_BATCH} per transaction on
     * {@code threads} connections, drops the database and returns the seconds the inserts took.
     */
    static double postgresSeconds(Connection template, String user, String password, PostgresVolume volume, int threads)
            throws Exception {
        String database = "bench_bound_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Statement statement = template.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        String url = template.getMetaData().getURL().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
        try {
            try (Connection connection = DriverManager.getConnection(url, user, password);
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE bound_row (id UUID PRIMARY KEY, owner TEXT NOT NULL, payload BYTEA NOT NULL,"
                        + " created_at TIMESTAMPTZ NOT NULL DEFAULT now())");
            }
            byte[] payload = new byte[(int) Math.max(16, Math.round(volume.meanRowBytes()) - 80)];
            new Random(2).nextBytes(payload);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long perThread = (volume.rowWrites() + threads - 1) / threads;
            long start = System.nanoTime();
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                work.add(pool.submit(() -> {
                    insertRows(url, user, password, perThread, payload);
                    return null;
                }));
            }
            for (Future<?> future : work) {
                future.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            return seconds;
        } finally {
            try (Statement statement = template.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database);
            }
        }
    }

    private static void insertRows(String url, String user, String password, long rows, byte[] payload) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
                PreparedStatement insert = connection.prepareStatement("INSERT INTO bound_row (id, owner, payload) VALUES (?, ?, ?)")) {
            connection.setAutoCommit(false);
            for (long i = 0; i < rows; i++) {
                insert.setObject(1, UUID.randomUUID());
                insert.setString(2, "device-" + i);
                insert.setBytes(3, payload);
                insert.addBatch();
                if ((i + 1) % PG_BATCH == 0 || i == rows - 1) {
                    insert.executeBatch();
                    connection.commit();
                }
            }
        }
    }
}
