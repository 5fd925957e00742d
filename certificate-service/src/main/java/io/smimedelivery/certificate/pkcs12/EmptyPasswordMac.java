package io.smimedelivery.certificate.pkcs12;

import java.security.MessageDigest;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.MacData;
import org.bouncycastle.asn1.pkcs.Pfx;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.generators.PKCS12ParametersGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.operator.bc.BcDefaultDigestProvider;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * Verifies a PKCS#12 MAC for the empty password as OpenSSL writes it. OpenSSL encodes the empty
 * password as the two-byte BMPString terminator, while BouncyCastle's {@code isMacValid} encodes it as
 * zero bytes, so files exported by {@code openssl pkcs12 -passout pass:} fail that check.
 *
 * <p>NOTE: no unit test covers this class, because BouncyCastle cannot write such a file. It was
 * checked against files from OpenSSL 3.0.
 */
final class EmptyPasswordMac {

    private static final byte[] EMPTY_BMP_STRING = {0, 0};

    private EmptyPasswordMac() {
    }

    static boolean isValid(Pfx pfx) throws OperatorCreationException {
        MacData macData = pfx.getMacData();
        Digest digest = BcDefaultDigestProvider.INSTANCE.get(macData.getMac().getAlgorithmId());

        PKCS12ParametersGenerator generator = new PKCS12ParametersGenerator(digest);
        generator.init(EMPTY_BMP_STRING, macData.getSalt(), macData.getIterationCount().intValueExact());
        KeyParameter key = (KeyParameter) generator.generateDerivedMacParameters(digest.getDigestSize() * 8);

        HMac hmac = new HMac(digest);
        hmac.init(key);
        byte[] authenticatedSafe = ASN1OctetString.getInstance(pfx.getAuthSafe().getContent()).getOctets();
        hmac.update(authenticatedSafe, 0, authenticatedSafe.length);
        byte[] computed = new byte[hmac.getMacSize()];
        hmac.doFinal(computed, 0);
        return MessageDigest.isEqual(computed, macData.getMac().getDigest());
    }
}
