package io.smimedelivery.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Base64;

import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** Mail that the scenario encrypts to a user's certificate, as another mail client would send it. */
final class ScenarioMail {

    private static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();

    private ScenarioMail() {
    }

    /**
     * Returns an S/MIME message (application/pkcs7-mime, enveloped-data) whose content is the text, encrypted
     * with AES-256-CBC to the certificate with RSA PKCS#1 v1.5 key transport, as mail clients send it.
     */
    static String encryptedMail(String from, String to, String subject, String text, X509Certificate recipient) {
        String mimeContent = "Content-Type: text/plain; charset=UTF-8\r\n\r\n" + text.replace("\n", "\r\n");
        try {
            CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
            generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(recipient).setProvider(PROVIDER));
            byte[] der = generator.generate(new CMSProcessableByteArray(mimeContent.getBytes(StandardCharsets.UTF_8)),
                    new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).setProvider(PROVIDER).build()).getEncoded();
            String body = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
            return "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=\"smime.p7m\"\r\n"
                    + "Content-Transfer-Encoding: base64\r\n"
                    + "Content-Disposition: attachment; filename=\"smime.p7m\"\r\n\r\n" + body + "\r\n";
        } catch (GeneralSecurityException | CMSException | IOException e) {
            throw new IllegalStateException("Encrypting the message to " + to + " failed", e);
        }
    }
}
