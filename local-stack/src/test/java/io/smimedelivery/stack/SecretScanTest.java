package io.smimedelivery.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretScanTest {

    @TempDir
    Path dataDir;

    @Test
    void findsEachKindOfSecret() throws Exception {
        Path state = Files.createDirectories(dataDir.resolve("state/pki"));
        byte[] pkcs12 = new byte[200];
        for (int i = 0; i < pkcs12.length; i++) {
            pkcs12[i] = (byte) (i * 7 + 3);
        }
        Files.write(state.resolve("mario-enc.p12"), pkcs12);
        Files.writeString(state.resolve("pkcs12-passwords.txt"), "# PKCS#12 file, password\nmario-enc.p12 Xk7pQ2mZr9Lw4TbN8cVd\n");
        Path ledger = dataDir.resolve("ledger.txt");
        Files.writeString(ledger, "scep-challenge Zq8Rk3Np5Vt7Wy2Xs4Mh\n");
        Files.writeString(dataDir.resolve("key-encryption-key.b64"), "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n");
        Path logs = Files.createDirectories(dataDir.resolve("logs"));
        Files.writeString(logs.resolve("a.log"), "import with password Xk7pQ2mZr9Lw4TbN8cVd failed\n");
        Files.writeString(logs.resolve("b.log"), "challenge Zq8Rk3Np5Vt7Wy2Xs4Mh\n-----BEGIN PRIVATE KEY-----\n");
        Files.writeString(logs.resolve("c.log"), "Authorization: Device eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJkZXYtMSJ9.c2lnbmF0dXJlLWJ5dGVzLWhlcmU\n");
        Files.write(logs.resolve("d.log"), concat("payload ".getBytes(StandardCharsets.US_ASCII), pkcs12));
        Files.writeString(logs.resolve("e.log"), "{\"pkcs12\":\"" + Base64.getEncoder().encodeToString(pkcs12) + "\"}\n");
        Files.writeString(logs.resolve("clean.log"), "Package ready for device dev-1\n");

        SecretScan scan = SecretScan.of(dataDir, dataDir.resolve("state"), ledger).scanFiles(logs, ".log")
                .scanText("output", "kek AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        List<String> findings = scan.findings();

        assertEquals(6, scan.filesScanned() - 1, "six log files and the output");
        assertTrue(findings.stream().anyMatch(f -> f.startsWith("a.log: password of mario-enc.p12")), findings.toString());
        assertTrue(findings.stream().anyMatch(f -> f.startsWith("b.log: scep-challenge")), findings.toString());
        assertTrue(findings.stream().anyMatch(f -> f.startsWith("b.log: a PEM private key")), findings.toString());
        assertTrue(findings.stream().anyMatch(f -> f.startsWith("c.log: a JWT")), findings.toString());
        assertTrue(findings.stream().anyMatch(f -> f.startsWith("d.log: PKCS#12 bytes")), findings.toString());
        assertTrue(findings.stream().anyMatch(f -> f.startsWith("e.log: PKCS#12 Base64")), findings.toString());
        assertTrue(findings.stream().anyMatch(f -> f.startsWith("output: key-encryption key")), findings.toString());
        assertTrue(findings.stream().noneMatch(f -> f.startsWith("clean.log")), findings.toString());
        assertTrue(findings.stream().noneMatch(f -> f.contains("Xk7pQ2mZr9Lw4TbN8cVd")), "findings never repeat a secret");
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] joined = new byte[first.length + second.length];
        System.arraycopy(first, 0, joined, 0, first.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }
}
