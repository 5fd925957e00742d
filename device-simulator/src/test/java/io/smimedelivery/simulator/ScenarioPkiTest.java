package io.smimedelivery.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptedData;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.operator.bc.BcDefaultDigestProvider;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilderProvider;
import org.junit.jupiter.api.Test;

import io.smimedelivery.simulator.ScenarioInput.Age;
import io.smimedelivery.simulator.ScenarioPki.Encoding;
import io.smimedelivery.simulator.ScenarioInput.Purpose;
import io.smimedelivery.simulator.ScenarioPki.UserCertificate;

class ScenarioPkiTest {

    private static final String EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int NON_REPUDIATION = 1;
    private static final int KEY_ENCIPHERMENT = 2;

    private final Instant now = Instant.now();
    private final ScenarioPki pki = new ScenarioPki(now);

    @Test
    void caChainIsValidAndSigned() throws Exception {
        X509Certificate root = pki.rootCertificate();
        X509Certificate issuing = pki.issuingCertificate();
        root.verify(root.getPublicKey());
        issuing.verify(root.getPublicKey());
        assertTrue(root.getBasicConstraints() >= 0, "root is a CA");
        assertEquals(0, issuing.getBasicConstraints(), "issuing CA path length");
        assertTrue(issuing.getKeyUsage()[5], "issuing CA has keyCertSign");
    }

    @Test
    void keyUsagesFollowThePurpose() throws Exception {
        boolean[] encryption = issue(Purpose.ENCRYPTION, Age.CURRENT).getKeyUsage();
        assertTrue(encryption[KEY_ENCIPHERMENT]);
        assertFalse(encryption[DIGITAL_SIGNATURE]);

        boolean[] signing = issue(Purpose.SIGNING, Age.CURRENT).getKeyUsage();
        assertTrue(signing[DIGITAL_SIGNATURE]);
        assertTrue(signing[NON_REPUDIATION]);
        assertFalse(signing[KEY_ENCIPHERMENT]);

        boolean[] dual = issue(Purpose.DUAL, Age.CURRENT).getKeyUsage();
        assertTrue(dual[DIGITAL_SIGNATURE]);
        assertTrue(dual[KEY_ENCIPHERMENT]);
    }

    @Test
    void certificatesCarryEmailProtectionAndAddress() throws Exception {
        X509Certificate certificate = issue(Purpose.SIGNING, Age.CURRENT);
        assertEquals(List.of(EMAIL_PROTECTION), certificate.getExtendedKeyUsage());
        List<?> alternativeName = certificate.getSubjectAlternativeNames().iterator().next();
        assertEquals(1, alternativeName.get(0), "rfc822Name");
        assertEquals("mario.rossi@example.it", alternativeName.get(1));
        certificate.verify(pki.issuingCertificate().getPublicKey());
    }

    @Test
    void validityFollowsTheAge() throws Exception {
        X509Certificate expired = issue(Purpose.ENCRYPTION, Age.EXPIRED);
        X509Certificate superseded = issue(Purpose.ENCRYPTION, Age.SUPERSEDED);
        X509Certificate current = issue(Purpose.ENCRYPTION, Age.CURRENT);
        assertTrue(expired.getNotAfter().toInstant().isBefore(now), "expired certificate has ended");
        superseded.checkValidity();
        current.checkValidity();
        assertTrue(superseded.getNotBefore().before(current.getNotBefore()), "current one starts later");
    }

    @Test
    void legacyPkcs12UsesTripleDesAndSha1Mac() throws Exception {
        UserCertificate user = pki.issue("mario.rossi@example.it", "Mario Rossi", Purpose.ENCRYPTION, Age.CURRENT,
                Encoding.LEGACY_3DES);
        byte[] file = pki.pkcs12(user, "test-password".toCharArray());
        PKCS12PfxPdu pfx = new PKCS12PfxPdu(file);
        assertEquals(OIWObjectIdentifiers.idSHA1, pfx.getMacAlgorithmID().getAlgorithm());
        assertTrue(pfx.isMacValid(new BcPKCS12MacCalculatorBuilderProvider(BcDefaultDigestProvider.INSTANCE),
                "test-password".toCharArray()), "MAC verifies");
        assertEquals(PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC, certificateBagAlgorithm(pfx));
        assertReadable(user, file);
    }

    @Test
    void aesPkcs12UsesPbes2AndSha256Mac() throws Exception {
        UserCertificate user = pki.issue("giulia.bianchi@example.it", "Giulia Bianchi", Purpose.SIGNING, Age.CURRENT,
                Encoding.AES256);
        byte[] file = pki.pkcs12(user, "test-password".toCharArray());
        PKCS12PfxPdu pfx = new PKCS12PfxPdu(file);
        assertEquals(NISTObjectIdentifiers.id_sha256, pfx.getMacAlgorithmID().getAlgorithm());
        assertTrue(pfx.isMacValid(new BcPKCS12MacCalculatorBuilderProvider(BcDefaultDigestProvider.INSTANCE),
                "test-password".toCharArray()), "MAC verifies");
        assertEquals(PKCSObjectIdentifiers.id_PBES2, certificateBagAlgorithm(pfx));
        assertReadable(user, file);
    }

    /** Returns the encryption algorithm of the safe with the certificate bags, the second content info. */
    private static ASN1ObjectIdentifier certificateBagAlgorithm(PKCS12PfxPdu pfx) {
        return EncryptedData.getInstance(pfx.getContentInfos()[1].getContent()).getEncryptionAlgorithm().getAlgorithm();
    }

    /** Reads the file with the JDK's KeyStore, as the simulator's package opener does. */
    private static void assertReadable(UserCertificate user, byte[] file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(new ByteArrayInputStream(file), "test-password".toCharArray());
        List<String> aliases = Collections.list(store.aliases());
        String keyAlias = aliases.stream().filter(alias -> isKey(store, alias)).findFirst().orElseThrow();
        PrivateKey key = (PrivateKey) store.getKey(keyAlias, "test-password".toCharArray());
        assertNotNull(key);
        assertArrayEquals(user.credential().certificate().getEncoded(), store.getCertificate(keyAlias).getEncoded());
        assertArrayEquals(user.credential().keys().getPrivate().getEncoded(), key.getEncoded());
    }

    private static boolean isKey(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private X509Certificate issue(Purpose purpose, Age age) {
        return pki.issue("mario.rossi@example.it", "Mario Rossi", purpose, age, Encoding.AES256).credential().certificate();
    }
}
