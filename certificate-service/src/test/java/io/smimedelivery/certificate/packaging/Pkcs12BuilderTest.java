package io.smimedelivery.certificate.packaging;

import static io.smimedelivery.certificate.packaging.PackagingFixtures.assertKeyMatchesCertificate;
import static io.smimedelivery.certificate.packaging.PackagingFixtures.assertSamePrivateKey;
import static io.smimedelivery.certificate.packaging.PackagingFixtures.certificate;
import static io.smimedelivery.certificate.packaging.PackagingFixtures.chain;
import static io.smimedelivery.certificate.packaging.PackagingFixtures.entry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smimedelivery.certificate.pkcs12.KeyPairEntry;
import io.smimedelivery.certificate.pkcs12.Pkcs12Contents;
import io.smimedelivery.certificate.pkcs12.Pkcs12Reader;
import io.smimedelivery.certificate.pkcs12.TestPkcs12Files;
import io.smimedelivery.certificate.pkcs12.TestPki;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.ContentInfo;
import org.bouncycastle.asn1.pkcs.EncryptedData;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCS12PBEParams;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.SafeBag;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.bc.BcDefaultDigestProvider;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilderProvider;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagFactory;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEInputDecryptorProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class Pkcs12BuilderTest {

    private static final char[] PASSWORD = "Packaging.Test-2026".toCharArray();

    /** A friendlyName with characters outside ASCII and outside Latin-1 (the en dash). */
    private static final String NON_ASCII_NAME = "Alice Example \u2013 Verschl\u00fcsselung 2023";

    private final TestPki pki = TestPki.get();
    private final Pkcs12Builder builder = new Pkcs12Builder();

    @TempDir
    Path directory;

    /** Three RSA entries and one EC entry, one of them with a non-ASCII friendlyName. */
    private List<KeyedCertificate> entries() {
        return List.of(
                entry(pki.aliceSign, "Alice Example signing 2025"),
                entry(pki.aliceEnc2023, NON_ASCII_NAME),
                entry(pki.aliceEnc2026, "Alice Example encryption 2026"),
                entry(pki.carolSignEc, "Carol Example EC signing"));
    }

    @ParameterizedTest
    @EnumSource(Pkcs12Profile.class)
    void pkcs12ReaderReadsEveryEntry(Pkcs12Profile profile) throws Exception {
        List<KeyedCertificate> entries = entries();
        byte[] file = builder.build(entries, chain(), PASSWORD, profile);

        Pkcs12Contents contents = Pkcs12Reader.read(file, PASSWORD);

        assertEquals(entries.size(), contents.entries().size());
        for (int i = 0; i < entries.size(); i++) {
            KeyedCertificate expected = entries.get(i);
            KeyPairEntry actual = contents.entries().get(i);
            assertArrayEquals(expected.certificate().getEncoded(), actual.certificate().getEncoded());
            assertArrayEquals(expected.privateKey().getEncoded(), actual.privateKey().getEncoded());
            assertEquals(expected.friendlyName(), actual.friendlyName());
            assertKeyMatchesCertificate(actual.privateKey(), certificate(actual.certificate()));
        }
        assertEquals(pki.chain(), contents.extraCertificates());
    }

    @ParameterizedTest
    @EnumSource(Pkcs12Profile.class)
    void jdkKeyStoreReadsEveryEntry(Pkcs12Profile profile) throws Exception {
        List<KeyedCertificate> entries = entries();
        byte[] file = builder.build(entries, chain(), PASSWORD, profile);

        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(new ByteArrayInputStream(file), PASSWORD);

        // The JDK 17 KeyStore turns each friendlyName into an alias in lower case (Locale.ENGLISH).
        Set<String> expectedAliases = entries.stream()
                .map(e -> e.friendlyName().toLowerCase(Locale.ENGLISH))
                .collect(Collectors.toSet());
        assertEquals(expectedAliases, new HashSet<>(Collections.list(keyStore.aliases())));
        for (KeyedCertificate expected : entries) {
            String alias = expected.friendlyName().toLowerCase(Locale.ENGLISH);
            assertTrue(keyStore.isKeyEntry(alias), alias);
            PrivateKey key = (PrivateKey) keyStore.getKey(alias, PASSWORD);
            assertSamePrivateKey(expected.privateKey(), key);
            assertEquals(expected.certificate(), keyStore.getCertificate(alias));
            assertKeyMatchesCertificate(key, (X509Certificate) keyStore.getCertificate(alias));

            Certificate[] chain = keyStore.getCertificateChain(alias);
            assertEquals(3, chain.length, alias);
            assertEquals(chain().get(0), chain[1]);
            assertEquals(chain().get(1), chain[2]);
        }
    }

    @ParameterizedTest
    @EnumSource(Pkcs12Profile.class)
    void opensslReadsEveryEntry(Pkcs12Profile profile) throws Exception {
        List<KeyedCertificate> entries = entries();
        Path file = directory.resolve("package.p12");
        Files.write(file, builder.build(entries, chain(), PASSWORD, profile));

        OpenSsl.Result result = OpenSsl.runSuccessfully(directory, PASSWORD,
                "pkcs12", "-in", file.toString(), "-nodes", "-passin", "env:" + OpenSsl.PASSWORD_VARIABLE);
        List<PemBlock> blocks = PemBlock.parse(result.stdoutLatin1());

        for (KeyedCertificate expected : entries) {
            String localKeyId = openSslHex(PackagingFixtures.sha1(expected.certificate().getEncoded()));
            PemBlock keyBlock = find(blocks, "PRIVATE KEY", localKeyId);
            PemBlock certificateBlock = find(blocks, "CERTIFICATE", localKeyId);

            PrivateKey key = KeyFactory.getInstance(expected.privateKey().getAlgorithm())
                    .generatePrivate(new PKCS8EncodedKeySpec(keyBlock.der()));
            assertSamePrivateKey(expected.privateKey(), key);
            assertArrayEquals(expected.certificate().getEncoded(), certificateBlock.der());
            assertKeyMatchesCertificate(key, certificate(new X509CertificateHolder(certificateBlock.der())));
            assertOpenSslFriendlyName(expected.friendlyName(), keyBlock.attributes().get("friendlyName"));
            assertOpenSslFriendlyName(expected.friendlyName(), certificateBlock.attributes().get("friendlyName"));
        }

        List<byte[]> caCertificates = blocks.stream()
                .filter(b -> b.type().equals("CERTIFICATE") && !b.attributes().containsKey("localKeyID"))
                .map(PemBlock::der)
                .toList();
        assertEquals(2, caCertificates.size());
        assertArrayEquals(chain().get(0).getEncoded(), caCertificates.get(0));
        assertArrayEquals(chain().get(1).getEncoded(), caCertificates.get(1));
        assertEquals(entries.size(), blocks.stream().filter(b -> b.type().equals("PRIVATE KEY")).count());
    }

    @Test
    void opensslReportsAes256Algorithms() throws Exception {
        String info = opensslInfo(Pkcs12Profile.AES256, 2048);

        assertTrue(info.contains("MAC: sha256, Iteration 2048"), info);
        assertTrue(info.contains(
                "PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256"), info);
        assertEquals(4, count(info,
                "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256"), info);
    }

    @Test
    void opensslReportsLegacy3desAlgorithms() throws Exception {
        String info = opensslInfo(Pkcs12Profile.LEGACY_3DES, 2048);

        assertTrue(info.contains("MAC: sha1, Iteration 2048"), info);
        assertTrue(info.contains("PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048"), info);
        assertEquals(4, count(info, "Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048"), info);
    }

    @ParameterizedTest
    @EnumSource(Pkcs12Profile.class)
    void opensslReportsGivenIterationCount(Pkcs12Profile profile) throws Exception {
        String info = opensslInfo(profile, 5000);

        assertTrue(info.contains("Iteration 5000"), info);
        assertFalse(info.contains("Iteration 2048"), info);
    }

    @Test
    void aes256BagsShareSaltWithDistinctIvs() throws Exception {
        byte[] file = builder.build(entries(), chain(), PASSWORD, Pkcs12Profile.AES256);

        List<AlgorithmIdentifier> algorithms = encryptionAlgorithms(file);

        assertEquals(5, algorithms.size());
        Set<String> salts = new HashSet<>();
        Set<String> ivs = new HashSet<>();
        for (AlgorithmIdentifier algorithm : algorithms) {
            assertEquals(PKCSObjectIdentifiers.id_PBES2, algorithm.getAlgorithm());
            PBES2Parameters parameters = PBES2Parameters.getInstance(algorithm.getParameters());
            PBKDF2Params kdf = PBKDF2Params.getInstance(parameters.getKeyDerivationFunc().getParameters());
            assertEquals(2048, kdf.getIterationCount().intValue());
            assertEquals(PKCSObjectIdentifiers.id_hmacWithSHA256, kdf.getPrf().getAlgorithm());
            salts.add(HexFormat.of().formatHex(kdf.getSalt()));
            ivs.add(HexFormat.of().formatHex(
                    ASN1OctetString.getInstance(parameters.getEncryptionScheme().getParameters()).getOctets()));
        }
        assertEquals(1, salts.size(), "PBKDF2 salts");
        assertEquals(5, ivs.size(), "AES-CBC IVs");
    }

    @ParameterizedTest
    @EnumSource(Pkcs12Profile.class)
    void macVerifiesWithBouncyCastle(Pkcs12Profile profile) throws Exception {
        // SunJCE computes the MAC for an ASCII password, and BouncyCastle checks it independently.
        PKCS12PfxPdu pfx = new PKCS12PfxPdu(builder.build(entries(), chain(), PASSWORD, profile));

        assertTrue(pfx.hasMac());
        assertTrue(pfx.isMacValid(new BcPKCS12MacCalculatorBuilderProvider(BcDefaultDigestProvider.INSTANCE), PASSWORD));
        assertFalse(pfx.isMacValid(new BcPKCS12MacCalculatorBuilderProvider(BcDefaultDigestProvider.INSTANCE),
                "Packaging.Test-2027".toCharArray()));
    }

    @Test
    void legacy3desBagsHaveDistinctSalts() throws Exception {
        byte[] file = builder.build(entries(), chain(), PASSWORD, Pkcs12Profile.LEGACY_3DES);

        List<AlgorithmIdentifier> algorithms = encryptionAlgorithms(file);

        assertEquals(5, algorithms.size());
        Set<String> salts = new HashSet<>();
        for (AlgorithmIdentifier algorithm : algorithms) {
            assertEquals(PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC, algorithm.getAlgorithm());
            salts.add(HexFormat.of().formatHex(PKCS12PBEParams.getInstance(algorithm.getParameters()).getIV()));
        }
        assertEquals(5, salts.size(), "PKCS#12 PBE salts");
    }

    @ParameterizedTest
    @EnumSource(Pkcs12Profile.class)
    void bagsCarryLocalKeyIdAndFriendlyName(Pkcs12Profile profile) throws Exception {
        List<KeyedCertificate> entries = entries();
        byte[] file = builder.build(entries, chain(), PASSWORD, profile);

        List<PKCS12SafeBag> bags = decryptedBags(file);

        assertEquals(entries.size() * 2 + 2, bags.size());
        List<PKCS12SafeBag> caBags = new ArrayList<>();
        for (PKCS12SafeBag bag : bags) {
            if (bag.getAttributes() == null || bag.getAttributes().length == 0) {
                caBags.add(bag);
            }
        }
        assertEquals(2, caBags.size(), "bags without attributes");
        for (PKCS12SafeBag caBag : caBags) {
            assertEquals(PKCSObjectIdentifiers.certBag, caBag.getType());
        }
        for (KeyedCertificate expected : entries) {
            byte[] localKeyId = PackagingFixtures.sha1(expected.certificate().getEncoded());
            List<PKCS12SafeBag> matching = bags.stream()
                    .filter(b -> Arrays.equals(localKeyId, attribute(b, PKCSObjectIdentifiers.pkcs_9_at_localKeyId)))
                    .toList();
            assertEquals(2, matching.size(), expected.friendlyName());
            Set<Object> types = matching.stream().map(PKCS12SafeBag::getType).collect(Collectors.toSet());
            assertEquals(Set.of(PKCSObjectIdentifiers.pkcs8ShroudedKeyBag, PKCSObjectIdentifiers.certBag), types);
            for (PKCS12SafeBag bag : matching) {
                assertEquals(expected.friendlyName(), friendlyName(bag));
            }
        }
    }

    @Test
    void entryWithoutFriendlyName() {
        List<KeyedCertificate> entries = List.of(entry(pki.bobDual, null));
        byte[] file = builder.build(entries, List.of(), PASSWORD, Pkcs12Profile.AES256);

        Pkcs12Contents contents = Pkcs12Reader.read(file, PASSWORD);

        assertEquals(1, contents.entries().size());
        assertEquals(null, contents.entries().get(0).friendlyName());
        assertEquals(pki.bobDual.certificate(), contents.entries().get(0).certificate());
        assertTrue(contents.extraCertificates().isEmpty());
    }

    /** Passes the password to OpenSSL in a UTF-8 file, because the environment of a child process may use another charset. */
    @ParameterizedTest
    @EnumSource(Pkcs12Profile.class)
    void nonAsciiPasswordReadable(Pkcs12Profile profile) throws Exception {
        char[] password = "p\u00e4ssw\u00f6rd \u2013 2026".toCharArray();
        List<KeyedCertificate> entries = List.of(entry(pki.bobDual, "Bob Example"));
        Path file = directory.resolve("non-ascii.p12");
        Files.write(file, builder.build(entries, chain(), password, profile));
        Path passwordFile = directory.resolve("password.txt");
        Files.writeString(passwordFile, new String(password) + "\n", StandardCharsets.UTF_8);

        Pkcs12Contents contents = Pkcs12Reader.read(Files.readAllBytes(file), password);
        OpenSsl.Result result = OpenSsl.runSuccessfully(directory, null,
                "pkcs12", "-in", file.toString(), "-nodes", "-passin", "file:" + passwordFile);

        assertEquals(pki.bobDual.certificate(), contents.entries().get(0).certificate());
        List<PemBlock> blocks = PemBlock.parse(result.stdoutLatin1());
        assertEquals(1, blocks.stream().filter(b -> b.type().equals("PRIVATE KEY")).count());
        assertEquals(3, blocks.stream().filter(b -> b.type().equals("CERTIFICATE")).count());
    }

    @Test
    void duplicateCaCertificatesWrittenOnce() throws Exception {
        List<KeyedCertificate> entries = List.of(entry(pki.bobDual, "Bob Example"));
        List<X509Certificate> caCertificates = new ArrayList<>(chain());
        caCertificates.addAll(chain());
        caCertificates.add(certificate(pki.bobDual.certificate()));

        byte[] file = builder.build(entries, caCertificates, PASSWORD, Pkcs12Profile.AES256);

        long certificateBags = decryptedBags(file).stream()
                .filter(b -> b.getType().equals(PKCSObjectIdentifiers.certBag))
                .count();
        assertEquals(3, certificateBags);
    }

    @Test
    void rejectsKeyOfAnotherCertificate() {
        List<KeyedCertificate> entries = List.of(new KeyedCertificate(pki.aliceSign.keyPair().getPrivate(),
                certificate(pki.aliceEnc2023.certificate()), "mismatch"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builder.build(entries, chain(), PASSWORD, Pkcs12Profile.AES256));

        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    }

    @Test
    void rejectsEcKeyOfAnotherCertificate() {
        List<KeyedCertificate> entries = List.of(new KeyedCertificate(pki.ecP256().getPrivate(),
                certificate(pki.carolSignEc.certificate()), "mismatch"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builder.build(entries, chain(), PASSWORD, Pkcs12Profile.LEGACY_3DES));

        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    }

    @Test
    void rejectsSameCertificateTwice() {
        List<KeyedCertificate> entries = List.of(entry(pki.bobDual, "first"), entry(pki.bobDual, "second"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builder.build(entries, chain(), PASSWORD, Pkcs12Profile.AES256));

        assertTrue(e.getMessage().contains("same certificate"), e.getMessage());
    }

    @Test
    void rejectsFriendlyNameOutsideBmp() {
        List<KeyedCertificate> entries = List.of(entry(pki.bobDual, "Bob \uD83D\uDD12"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builder.build(entries, chain(), PASSWORD, Pkcs12Profile.AES256));

        assertTrue(e.getMessage().contains("Basic Multilingual Plane"), e.getMessage());
    }

    @Test
    void rejectsInvalidArguments() {
        List<KeyedCertificate> entries = List.of(entry(pki.bobDual, "Bob Example"));
        Map<String, Supplier<byte[]>> calls = new LinkedHashMap<>();
        calls.put("no entries", () -> builder.build(List.of(), chain(), PASSWORD, Pkcs12Profile.AES256));
        calls.put("empty password", () -> builder.build(entries, chain(), new char[0], Pkcs12Profile.AES256));
        calls.put("999 iterations", () -> builder.build(entries, chain(), PASSWORD, Pkcs12Profile.LEGACY_3DES, 999));
        calls.put("0 iterations", () -> builder.build(entries, chain(), PASSWORD, Pkcs12Profile.AES256, 0));

        for (Map.Entry<String, Supplier<byte[]>> call : calls.entrySet()) {
            assertThrows(IllegalArgumentException.class, call.getValue()::get, call.getKey());
        }
    }

    @Test
    void acceptsMinimumIterationCount() {
        List<KeyedCertificate> entries = List.of(entry(pki.bobDual, "Bob Example"));

        byte[] file = builder.build(entries, chain(), PASSWORD, Pkcs12Profile.AES256, Pkcs12Builder.MIN_ITERATIONS);

        assertEquals(1, Pkcs12Reader.read(file, PASSWORD).entries().size());
    }

    /**
     * Prints the time to build a file with 4 RSA-2048 keys and 2 CA certificates per profile, next to
     * BouncyCastle's own PBES2 encryptor with one salt and one PBKDF2 run per bag. Prints only, because the
     * times depend on the machine and its load.
     */
    @Test
    void printsBuildTimePerProfile() {
        List<KeyedCertificate> entries = List.of(
                entry(pki.aliceSign, "Alice Example signing 2025"),
                entry(pki.aliceEnc2020, "Alice Example encryption 2020"),
                entry(pki.aliceEnc2023, "Alice Example encryption 2023"),
                entry(pki.aliceEnc2026, "Alice Example encryption 2026"));
        List<X509Certificate> caCertificates = chain();
        List<TestPkcs12Files.KeyEntry> testFileEntries = List.of(
                TestPkcs12Files.KeyEntry.of(pki.aliceSign, "Alice Example signing 2025", new byte[] {1}),
                TestPkcs12Files.KeyEntry.of(pki.aliceEnc2020, "Alice Example encryption 2020", new byte[] {2}),
                TestPkcs12Files.KeyEntry.of(pki.aliceEnc2023, "Alice Example encryption 2023", new byte[] {3}),
                TestPkcs12Files.KeyEntry.of(pki.aliceEnc2026, "Alice Example encryption 2026", new byte[] {4}));

        Map<String, Supplier<byte[]>> variants = new LinkedHashMap<>();
        for (Pkcs12Profile profile : Pkcs12Profile.values()) {
            variants.put("Pkcs12Builder " + profile.configName(),
                    () -> builder.build(entries, caCertificates, PASSWORD, profile));
        }
        variants.put("BouncyCastle PBES2 encryptor per bag (aes256 layout, for comparison)",
                () -> TestPkcs12Files.write(TestPkcs12Files.Style.OPENSSL_AES256, PASSWORD, testFileEntries, pki.chain()));

        int warmUpRuns = 10;
        int timedRuns = 30;
        System.out.printf(Locale.ROOT, "PKCS#12 build of 4 RSA-2048 keys and 2 CA certificates, 2048 iterations, "
                + "%d timed runs after %d warm-up runs, %d CPUs:%n", timedRuns, warmUpRuns,
                Runtime.getRuntime().availableProcessors());
        for (Map.Entry<String, Supplier<byte[]>> variant : variants.entrySet()) {
            for (int i = 0; i < warmUpRuns; i++) {
                assertNotNull(variant.getValue().get());
            }
            long[] nanos = new long[timedRuns];
            for (int i = 0; i < timedRuns; i++) {
                long start = System.nanoTime();
                assertNotNull(variant.getValue().get());
                nanos[i] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            System.out.printf(Locale.ROOT, "  %-70s median %6.2f ms, min %6.2f ms, max %6.2f ms%n", variant.getKey(),
                    nanos[timedRuns / 2] / 1e6, nanos[0] / 1e6, nanos[timedRuns - 1] / 1e6);
        }
    }

    private String opensslInfo(Pkcs12Profile profile, int iterations) throws Exception {
        Path file = directory.resolve("info-" + profile.configName() + ".p12");
        Files.write(file, builder.build(entries(), chain(), PASSWORD, profile, iterations));
        OpenSsl.Result result = OpenSsl.runSuccessfully(directory, PASSWORD,
                "pkcs12", "-in", file.toString(), "-info", "-noout", "-passin", "env:" + OpenSsl.PASSWORD_VARIABLE);
        // OpenSSL 3.0 prints the -info lines to stderr.
        return result.stdoutText() + result.stderr();
    }

    private static int count(String text, String line) {
        return (int) text.lines().filter(l -> l.equals(line)).count();
    }

    /** Returns the encryption algorithm of each encrypted safe and each shrouded key bag, in file order. */
    private static List<AlgorithmIdentifier> encryptionAlgorithms(byte[] file) throws Exception {
        List<AlgorithmIdentifier> algorithms = new ArrayList<>();
        for (ContentInfo contentInfo : new PKCS12PfxPdu(file).getContentInfos()) {
            if (PKCSObjectIdentifiers.encryptedData.equals(contentInfo.getContentType())) {
                algorithms.add(EncryptedData.getInstance(contentInfo.getContent()).getEncryptionAlgorithm());
            } else {
                for (PKCS12SafeBag bag : new PKCS12SafeBagFactory(contentInfo).getSafeBags()) {
                    SafeBag safeBag = bag.toASN1Structure();
                    algorithms.add(EncryptedPrivateKeyInfo.getInstance(safeBag.getBagValue()).getEncryptionAlgorithm());
                }
            }
        }
        return algorithms;
    }

    private static List<PKCS12SafeBag> decryptedBags(byte[] file) throws Exception {
        List<PKCS12SafeBag> bags = new ArrayList<>();
        for (ContentInfo contentInfo : new PKCS12PfxPdu(file).getContentInfos()) {
            PKCS12SafeBagFactory factory = PKCSObjectIdentifiers.encryptedData.equals(contentInfo.getContentType())
                    ? new PKCS12SafeBagFactory(contentInfo, new JcePKCSPBEInputDecryptorProviderBuilder()
                            .setProvider(TestPki.BOUNCY_CASTLE).build(PASSWORD))
                    : new PKCS12SafeBagFactory(contentInfo);
            bags.addAll(List.of(factory.getSafeBags()));
        }
        return bags;
    }

    private static byte[] attribute(PKCS12SafeBag bag, Object type) {
        if (bag.getAttributes() == null) {
            return null;
        }
        for (Attribute attribute : bag.getAttributes()) {
            if (attribute.getAttrType().equals(type)) {
                return ASN1OctetString.getInstance(attribute.getAttrValues().getObjectAt(0)).getOctets();
            }
        }
        return null;
    }

    private static String friendlyName(PKCS12SafeBag bag) {
        for (Attribute attribute : bag.getAttributes()) {
            if (attribute.getAttrType().equals(PKCSObjectIdentifiers.pkcs_9_at_friendlyName)) {
                return attribute.getAttrValues().getObjectAt(0).toString();
            }
        }
        return null;
    }

    /** Formats bytes as OpenSSL prints a localKeyID: upper-case hex pairs separated by spaces. */
    private static String openSslHex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bytes);
    }

    private static PemBlock find(List<PemBlock> blocks, String type, String localKeyId) {
        return blocks.stream()
                .filter(b -> b.type().equals(type) && localKeyId.equals(b.attributes().get("localKeyID")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("openssl printed no " + type + " with localKeyID " + localKeyId));
    }

    /**
     * Checks a friendlyName as {@code openssl pkcs12 -nodes} prints it. OpenSSL 3.0 prints the low byte of
     * each BMPString character, so "\u2013" appears as byte 0x13. Later versions may print UTF-8, which is
     * accepted as well.
     */
    private static void assertOpenSslFriendlyName(String expected, String printedLatin1) {
        assertNotNull(printedLatin1, "friendlyName missing for " + expected);
        StringBuilder lowBytes = new StringBuilder();
        for (char c : expected.toCharArray()) {
            lowBytes.append((char) (c & 0xFF));
        }
        String printedUtf8 = new String(printedLatin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        assertTrue(printedLatin1.equals(lowBytes.toString()) || printedUtf8.equals(expected),
                "openssl printed friendlyName '" + printedLatin1 + "' for '" + expected + "'");
    }

    /** One PEM block of {@code openssl pkcs12 -nodes} output with the bag attributes printed before it. */
    private record PemBlock(String type, byte[] der, Map<String, String> attributes) {

        /** Parses the output, decoded as Latin-1 so that every byte of a printed attribute is kept. */
        static List<PemBlock> parse(String output) {
            List<PemBlock> blocks = new ArrayList<>();
            Map<String, String> attributes = new LinkedHashMap<>();
            String type = null;
            StringBuilder base64 = new StringBuilder();
            for (String line : output.split("\n")) {
                if (type != null) {
                    if (line.equals("-----END " + type + "-----")) {
                        blocks.add(new PemBlock(type, Base64.getMimeDecoder().decode(base64.toString()), attributes));
                        type = null;
                    } else {
                        base64.append(line);
                    }
                } else if (line.startsWith("Bag Attributes")) {
                    attributes = new LinkedHashMap<>();
                } else if (line.startsWith("    ") && line.contains(": ")) {
                    int colon = line.indexOf(": ");
                    attributes.put(line.substring(4, colon), stripTrailingSpaces(line.substring(colon + 2)));
                } else if (line.startsWith("-----BEGIN ") && line.endsWith("-----")) {
                    type = line.substring("-----BEGIN ".length(), line.length() - "-----".length());
                    base64 = new StringBuilder();
                }
            }
            return blocks;
        }

        private static String stripTrailingSpaces(String value) {
            int end = value.length();
            while (end > 0 && value.charAt(end - 1) == ' ') {
                end--;
            }
            return value.substring(0, end);
        }
    }
}
