package io.smimedelivery.certificate.rotation;

import static io.restassured.RestAssured.given;
import static io.smimedelivery.certificate.delivery.DeliveryTestSupport.assignment;
import static io.smimedelivery.certificate.delivery.DeliveryTestSupport.enrollment;
import static io.smimedelivery.certificate.delivery.DeliveryTestSupport.importCertificates;
import static io.smimedelivery.certificate.delivery.DeliveryTestSupport.newUser;
import static io.smimedelivery.certificate.delivery.DeliveryTestSupport.openssl;
import static io.smimedelivery.certificate.delivery.DeliveryTestSupport.settings;
import static io.smimedelivery.certificate.delivery.DeliveryTestSupport.writeKey;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smimedelivery.certificate.crypto.KekConfig;
import io.smimedelivery.certificate.crypto.KeyEncryption;
import io.smimedelivery.certificate.crypto.KeyEncryptionProvider;
import io.smimedelivery.certificate.crypto.TestKekConfig;
import io.smimedelivery.certificate.crypto.UnconfiguredKeyException;
import io.smimedelivery.certificate.delivery.DeliveryTestSupport;
import io.smimedelivery.certificate.delivery.DeliveryTestSupport.TestUser;
import io.smimedelivery.certificate.imports.ImportKey;
import io.smimedelivery.certificate.pkcs12.TestPki;
import io.smimedelivery.common.problem.ProblemException;
import io.smimedelivery.deviceauth.DeviceAuthorization;
import io.smimedelivery.deviceauth.DeviceTokenSigner;
import io.smimedelivery.events.EncryptionProfileType;
import io.smimedelivery.events.EventJson;
import io.smimedelivery.events.PackageReady;
import io.smimedelivery.events.SigningProfileType;
import io.smimedelivery.events.Topics;
import io.smimedelivery.infra.InfrastructureTestResource;
import io.smimedelivery.infra.TopicTraffic;

/**
 * Rotation from key id kek-a to kek-b. The service runs with kek-b current and both keys configured. The
 * first test imports certificates through the API and then re-encrypts every stored value under kek-a
 * directly in the database, which is the state an administrator has after adding kek-b and restarting.
 */
@QuarkusTest
@TestProfile(KeyRotationTest.TwoKeys.class)
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "certificate"))
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeyRotationTest {

    static final String OLD_ID = "kek-a";
    static final String NEW_ID = "kek-b";
    static final String OLD_KEY = "oKvQ3nJ1m8X2c4yq7ZtWb5e6R9uA0sD1fG2hJ3kL4mM=";
    static final String NEW_KEY = "Zm9yLXRlc3RzLW9ubHktbmV3LWtleS0wMTIzNDU2Nzg=";

    /** kek-b current, kek-a still configured, and small batches with a pause, so a run can be stopped midway. */
    public static class TwoKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>();
            String keys = OLD_ID + ":" + OLD_KEY + "," + NEW_ID + ":" + NEW_KEY;
            // Both names, because application.properties sets the %test-prefixed ones.
            for (String prefix : List.of("", "%test.")) {
                config.put(prefix + "smime.kek.current-id", NEW_ID);
                config.put(prefix + "smime.kek.keys", keys);
            }
            config.put("smime.kek.rotation.batch-size", "2");
            config.put("smime.kek.rotation.batch-pause", "PT0.3S");
            return config;
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String STATUS = "/api/admin/key-encryption";
    private static final String ROTATIONS = "/api/admin/key-encryption/rotations";
    private static final String AUDIENCE = "certificate-service";

    private static final List<TestUser> USERS = new ArrayList<>();
    private static String importKeyPem;
    private static int storedValues;
    private static TopicTraffic traffic;

    @Inject
    DataSource dataSource;

    @Inject
    KeyEncryptionProvider keyEncryption;

    @BeforeAll
    static void watchTopics() {
        traffic = new TopicTraffic(Topics.CERTIFICATE_PACKAGES);
    }

    @AfterAll
    static void stopWatching() throws InterruptedException {
        traffic.close();
    }

    @Test
    @Order(1)
    void statusCountsValuesUnderOldKey() throws Exception {
        USERS.add(newUser("rita"));
        USERS.add(newUser("ugo"));
        for (TestUser user : USERS) {
            importCertificates(user.email(), user.all());
        }
        importKeyPem = given().get("/api/certificates/import-key").then().statusCode(200).extract().path("publicKeyPem");
        storedValues = resealAll(OLD_ID, Integer.MAX_VALUE);
        assertEquals(9, storedValues, "eight imported keys and the import key");

        JsonPath status = status();
        assertEquals(NEW_ID, status.getString("currentKeyId"));
        assertEquals(List.of(OLD_ID, NEW_ID), status.getList("configuredKeyIds"));
        assertEquals(9, status.getInt("valuesByKeyId.'kek-a'"));
        assertEquals(0, status.getInt("valuesByKeyId.'kek-b'"));
        assertEquals(8, storedCount(status, "imported_certificate", OLD_ID));
        assertEquals(1, storedCount(status, "import_key", OLD_ID));
        assertEquals(List.of(), status.getList("missingKeyIds"));
        assertEquals(List.of(), status.getList("removableKeyIds"), "kek-a holds values and kek-b is current");
        assertNull(status.get("lastRotation"));
    }

    @Test
    @Order(2)
    void stoppedRotationResumesWithoutRedoing() throws Exception {
        // A run that a crashed process left RUNNING.
        UUID abandoned = UUID.randomUUID();
        execute("INSERT INTO kek_rotation (id, target_kek_id, status, total, started_at) VALUES (?, ?, 'RUNNING', 9, ?)",
                abandoned, NEW_ID, java.sql.Timestamp.from(Instant.now().minusSeconds(3600)));

        String location = given().post(ROTATIONS).then().statusCode(202)
                .header("Location", org.hamcrest.Matchers.containsString(ROTATIONS + "/"))
                .body("status", equalTo("RUNNING"))
                .body("total", equalTo(storedValues))
                .body("targetKeyId", equalTo(NEW_ID))
                .extract().header("Location");
        given().get(ROTATIONS + "/" + abandoned).then().statusCode(200)
                .body("status", equalTo("INTERRUPTED"))
                .body("finishedAt", org.hamcrest.Matchers.notNullValue());

        awaitRun(location, run -> run.getInt("done") >= 2);
        given().post(location + "/stop").then().statusCode(202).body("stopRequested", equalTo(true));
        JsonPath first = awaitRun(location, run -> !run.getString("status").equals("RUNNING"));
        assertEquals("INTERRUPTED", first.getString("status"));
        int firstDone = first.getInt("done");
        assertTrue(firstDone >= 2, "the first batch committed before the stop, done " + firstDone);
        assertTrue(firstDone < storedValues, "the stop ends the run midway, done " + firstDone);
        assertEquals(0, first.getInt("errors"));
        given().post(location + "/stop").then().statusCode(409).contentType("application/problem+json");

        Map<String, byte[]> rotatedFirst = valuesUnder(NEW_ID);
        assertEquals(firstDone, rotatedFirst.size(), "every counted value is stored under kek-b");
        assertEquals(storedValues - firstDone, valuesUnder(OLD_ID).size());
        assertEquals(storedValues - firstDone, status().getInt("valuesByKeyId.'kek-a'"));

        String secondLocation = given().post(ROTATIONS).then().statusCode(202)
                .body("total", equalTo(storedValues - firstDone)).extract().header("Location");
        assertNotEquals(location, secondLocation);
        JsonPath second = awaitRun(secondLocation, run -> !run.getString("status").equals("RUNNING"));
        assertEquals("COMPLETED", second.getString("status"));
        assertEquals(storedValues - firstDone, second.getInt("done"));
        assertEquals(0, second.getInt("errors"));

        Map<String, byte[]> rotated = valuesUnder(NEW_ID);
        assertEquals(storedValues, rotated.size(), "no value is lost");
        for (Map.Entry<String, byte[]> entry : rotatedFirst.entrySet()) {
            assertArrayEquals(entry.getValue(), rotated.get(entry.getKey()),
                    "the second run leaves values of the first run alone: " + entry.getKey());
        }

        JsonPath status = status();
        assertEquals(0, status.getInt("valuesByKeyId.'kek-a'"));
        assertEquals(storedValues, status.getInt("valuesByKeyId.'kek-b'"));
        assertEquals(List.of(OLD_ID), status.getList("removableKeyIds"));
        assertEquals("COMPLETED", status.getString("lastRotation.status"));
        assertEquals(secondLocation.substring(secondLocation.indexOf(ROTATIONS)), status.getString("lastRotation.location"));
    }

    @Test
    @Order(3)
    void rotatedKeysDecryptUnderNewKeyOnly() throws Exception {
        KeyEncryption newOnly = KeyEncryption.fromBase64(NEW_ID, Map.of(NEW_ID, NEW_KEY));
        Map<String, byte[]> expected = new HashMap<>();
        for (TestUser user : USERS) {
            for (TestPki.Issued issued : user.all()) {
                expected.put(thumbprint(issued), issued.keyPair().getPrivate().getEncoded());
            }
        }
        List<Object[]> rows = query("SELECT thumbprint_sha256, private_key_encrypted, kek_id FROM imported_certificate");
        assertEquals(8, rows.size());
        for (Object[] row : rows) {
            assertEquals(NEW_ID, row[2]);
            assertEquals(NEW_ID, KeyEncryption.keyIdOf((byte[]) row[1]), "the stored header names the new key id");
            assertArrayEquals(expected.get((String) row[0]), newOnly.decrypt((byte[]) row[1]));
            assertArrayEquals(expected.get((String) row[0]), keyEncryption.require().decrypt((byte[]) row[1]));
        }

        // The service's import key, read from the database with only kek-b configured, decrypts a password.
        ImportKey importKey = new ImportKey(dataSource, new KeyEncryptionProvider(config(NEW_ID, NEW_ID + ":" + NEW_KEY)));
        assertEquals(importKeyPem, importKey.publicKeyPem(), "rotation keeps the import key pair");
        assertEquals("pässwörd", importKey.decryptPassword(encryptTo(importKeyPem, "pässwörd")));
    }

    @Test
    @Order(4)
    void packagesBuiltAfterRotationOpen(@TempDir Path dir) throws Exception {
        TestUser user = USERS.get(0);
        KeyPair phoneKeys = TestPki.get().rsa();
        String phone = "dev-phone-" + user.userId();
        TopicTraffic.send(assignment(user, "pol-" + user.userId(), 1,
                settings(SigningProfileType.IMPORTED_PKCS, EncryptionProfileType.IMPORTED_PKCS)));
        TopicTraffic.send(enrollment(phone, user.userId(), "iOS", phoneKeys));
        traffic.await(PackageReady.class, e -> e.deviceId().equals(phone), 1, WAIT);

        DeviceTokenSigner signer = new DeviceTokenSigner(phone, phoneKeys.getPrivate());
        String downloadPath = given().header("Authorization", DeviceAuthorization.header(signer.sign(AUDIENCE)))
                .get("/api/devices/{id}/packages", phone).then().statusCode(200)
                .body("[0].status", equalTo("READY")).extract().path("[0].downloadPath");
        byte[] envelope = given().header("Authorization", DeviceAuthorization.header(signer.sign(AUDIENCE)))
                .get(downloadPath).then().statusCode(200).extract().asByteArray();

        Files.write(dir.resolve("package.p7m"), envelope);
        writeKey(dir, "phone-key.pem", phoneKeys.getPrivate());
        openssl(dir, "cms", "-decrypt", "-inform", "DER", "-in", "package.p7m", "-inkey", "phone-key.pem",
                "-out", "package.json");
        JsonNode document = EventJson.mapper().readTree(Files.readAllBytes(dir.resolve("package.json")));
        byte[] pkcs12 = Base64.getDecoder().decode(document.path("pkcs12").path("data").asText());
        char[] password = document.path("pkcs12").path("password").asText().toCharArray();

        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(new ByteArrayInputStream(pkcs12), password);
        Set<BigInteger> packaged = new HashSet<>();
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                packaged.add(((RSAPrivateCrtKey) store.getKey(alias, password)).getModulus());
            }
        }
        Set<BigInteger> imported = new HashSet<>();
        for (TestPki.Issued issued : user.all()) {
            imported.add(((RSAPublicKey) issued.keyPair().getPublic()).getModulus());
        }
        assertEquals(imported, packaged, "the package carries every imported key of the user");
    }

    @Test
    @Order(5)
    void concurrentRequestsRotateEachValueOnce() throws Exception {
        int resealed = resealAll(OLD_ID, 5);
        assertEquals(5, resealed);
        Map<String, byte[]> untouched = valuesUnder(NEW_ID);

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(2);
        List<Future<io.restassured.response.Response>> responses = new ArrayList<>();
        try {
            Callable<io.restassured.response.Response> request = () -> {
                start.await();
                return given().post(ROTATIONS);
            };
            responses.add(executor.submit(request));
            responses.add(executor.submit(request));
            start.countDown();
            Set<String> locations = new HashSet<>();
            for (Future<io.restassured.response.Response> response : responses) {
                io.restassured.response.Response answered = response.get();
                assertEquals(202, answered.statusCode(), answered.asString());
                locations.add(answered.header("Location"));
            }
            int done = 0;
            for (String location : locations) {
                JsonPath run = awaitRun(location, r -> !r.getString("status").equals("RUNNING"));
                assertEquals("COMPLETED", run.getString("status"));
                done += run.getInt("done");
            }
            assertEquals(resealed, done, "each value is re-encrypted once over all runs " + locations);
        } finally {
            executor.shutdownNow();
        }

        Map<String, byte[]> after = valuesUnder(NEW_ID);
        assertEquals(storedValues, after.size());
        assertEquals(0, valuesUnder(OLD_ID).size());
        for (Map.Entry<String, byte[]> entry : untouched.entrySet()) {
            assertArrayEquals(entry.getValue(), after.get(entry.getKey()), "values already under kek-b stay as they were");
        }
        KeyEncryption newOnly = KeyEncryption.fromBase64(NEW_ID, Map.of(NEW_ID, NEW_KEY));
        after.values().forEach(newOnly::decrypt);
    }

    @Test
    @Order(6)
    void invalidRunIdsAreProblems() {
        given().get(ROTATIONS + "/not-a-run").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("id"))
                .body("errors[0].value", equalTo("not-a-run"))
                .body("errors[0].message", startsWith("expected the UUID of a rotation run"));
        given().post(ROTATIONS + "/not-a-run/stop").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("id"));
        UUID unknown = UUID.randomUUID();
        given().get(ROTATIONS + "/" + unknown).then().statusCode(404).contentType("application/problem+json");
        given().post(ROTATIONS + "/" + unknown + "/stop").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    @Order(7)
    void unconfiguredKeyIdIsReported() throws Exception {
        // A value under a key id that the configuration lost, such as after removing a key too early.
        KeyEncryption lostKey = new KeyEncryption("kek-gone", Map.of("kek-gone", new byte[32]));
        execute("""
                INSERT INTO imported_certificate (id, owner_address, purpose, thumbprint_sha256, thumbprint_sha1,
                    serial_number_hex, subject_dn, issuer_dn, not_before, not_after, key_usage, extended_key_usages,
                    email_addresses, certificate_der, private_key_encrypted, kek_id)
                SELECT ?, 'orphan@example.test', purpose, thumbprint_sha256, thumbprint_sha1, serial_number_hex,
                    subject_dn, issuer_dn, not_before, not_after, key_usage, extended_key_usages, email_addresses,
                    certificate_der, ?, 'kek-gone'
                FROM imported_certificate LIMIT 1""", UUID.randomUUID(), lostKey.encrypt(new byte[] { 1, 2, 3 }));
        execute("UPDATE import_key SET private_key_encrypted = ?, kek_id = 'kek-gone'",
                lostKey.encrypt(new byte[] { 4, 5, 6 }));

        JsonPath status = status();
        assertEquals(List.of("kek-gone"), status.getList("missingKeyIds"));
        assertEquals(2, status.getInt("valuesByKeyId.'kek-gone'"));
        assertEquals(false, status.getBoolean("storedValues.find { it.keyId == 'kek-gone' && it.table == 'import_key' }.configured"));

        String location = given().post(ROTATIONS).then().statusCode(202).body("total", equalTo(0)).extract().header("Location");
        JsonPath run = awaitRun(location, r -> !r.getString("status").equals("RUNNING"));
        assertEquals("COMPLETED", run.getString("status"), "values under unconfigured key ids are left alone");
        assertEquals(2, status().getInt("valuesByKeyId.'kek-gone'"));

        byte[] orphan = (byte[]) query("SELECT private_key_encrypted FROM imported_certificate WHERE kek_id = 'kek-gone'")
                .get(0)[0];
        UnconfiguredKeyException unconfigured = assertThrows(UnconfiguredKeyException.class,
                () -> keyEncryption.require().decrypt(orphan));
        assertEquals("kek-gone", unconfigured.keyId());
        assertTrue(unconfigured.getMessage().contains("SMIME_KEK_KEYS"), unconfigured.getMessage());

        ProblemException problem = assertThrows(ProblemException.class,
                () -> new ImportKey(dataSource, keyEncryption).publicKeyPem());
        assertEquals(503, problem.status().getStatusCode());
        assertTrue(problem.getMessage().contains("kek-gone"), problem.getMessage());
        assertTrue(problem.getMessage().contains("SMIME_KEK_KEYS"), problem.getMessage());
    }

    @Test
    @Order(8)
    void responsesNeverContainKeys() {
        for (String body : List.of(given().get(STATUS).asString(), given().get(ROTATIONS + "/" + UUID.randomUUID()).asString())) {
            assertFalse(body.contains(OLD_KEY) || body.contains(NEW_KEY), body);
        }
    }

    // ---------------------------------------------------------------------------------------------------

    private static JsonPath status() {
        return given().accept(ContentType.JSON).get(STATUS).then().statusCode(200).extract().jsonPath();
    }

    private static int storedCount(JsonPath status, String table, String keyId) {
        return status.getInt("storedValues.find { it.table == '" + table + "' && it.keyId == '" + keyId + "' }.count");
    }

    /** Polls a run until {@code condition} is true and returns it. */
    private static JsonPath awaitRun(String location, java.util.function.Predicate<JsonPath> condition)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            JsonPath run = given().get(location).then().statusCode(200).extract().jsonPath();
            if (condition.test(run)) {
                return run;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("Run " + location + " did not reach the expected state in " + WAIT + ": "
                + given().get(location).asString());
    }

    /**
     * Re-encrypts up to {@code limit} stored values that are under kek-b under {@code keyId} instead, as the
     * service did before kek-b became current. Returns how many.
     */
    private int resealAll(String keyId, int limit) throws Exception {
        KeyEncryption both = KeyEncryption.fromBase64(keyId, Map.of(OLD_ID, OLD_KEY, NEW_ID, NEW_KEY));
        int count = 0;
        for (String table : List.of("imported_certificate", "import_key")) {
            for (Object[] row : query("SELECT id, private_key_encrypted FROM " + table + " WHERE kek_id = '" + NEW_ID
                    + "' ORDER BY id")) {
                if (count == limit) {
                    return count;
                }
                byte[] plaintext = both.decrypt((byte[]) row[1]);
                execute("UPDATE " + table + " SET private_key_encrypted = ?, kek_id = ? WHERE id = ?",
                        both.encrypt(plaintext), keyId, row[0]);
                count++;
            }
        }
        return count;
    }

    /** Returns the stored values under {@code keyId} by table and row id. */
    private Map<String, byte[]> valuesUnder(String keyId) throws Exception {
        Map<String, byte[]> values = new HashMap<>();
        for (String table : List.of("imported_certificate", "import_key")) {
            for (Object[] row : query("SELECT id, private_key_encrypted FROM " + table + " WHERE kek_id = '" + keyId + "'")) {
                values.put(table + "/" + row[0], (byte[]) row[1]);
            }
        }
        return values;
    }

    private List<Object[]> query(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet result = statement.executeQuery()) {
            List<Object[]> rows = new ArrayList<>();
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                Object[] row = new Object[columns];
                for (int i = 0; i < columns; i++) {
                    row[i] = result.getObject(i + 1);
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private void execute(String sql, Object... parameters) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }

    private static String thumbprint(TestPki.Issued issued) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(issued.certificate().getEncoded()));
    }

    /** Encrypts a password to a PEM public key with RSA-OAEP (SHA-256), as an administrator's script would. */
    private static String encryptTo(String publicKeyPem, String password) throws Exception {
        String base64 = publicKeyPem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        java.security.PublicKey publicKey = java.security.KeyFactory.getInstance("RSA")
                .generatePublic(new java.security.spec.X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("RSA/ECB/OAEPPadding");
        cipher.init(javax.crypto.Cipher.ENCRYPT_MODE, publicKey, new javax.crypto.spec.OAEPParameterSpec("SHA-256", "MGF1",
                java.security.spec.MGF1ParameterSpec.SHA256, javax.crypto.spec.PSource.PSpecified.DEFAULT));
        return Base64.getEncoder().encodeToString(cipher.doFinal(password.getBytes(StandardCharsets.UTF_8)));
    }

    private static KekConfig config(String currentId, String keys) {
        return TestKekConfig.of(currentId, keys);
    }
}
