package io.smimedelivery.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A secret encrypted to the public key of the one service that may read it, so that it can travel on a
 * topic without being readable there.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SealedValue(
        @JsonPropertyDescription("Id of the recipient's key, for key rotation") String keyId,
        @JsonPropertyDescription("Encryption algorithm, such as RSA-OAEP-256") String algorithm,
        @JsonPropertyDescription("Ciphertext, Base64") String ciphertext) {

    public SealedValue {
        Require.text(keyId, "keyId");
        Require.text(algorithm, "algorithm");
        Require.text(ciphertext, "ciphertext");
    }

    /** Never prints the ciphertext. */
    @Override
    public String toString() {
        return "SealedValue[keyId=" + keyId + ", algorithm=" + algorithm + "]";
    }
}
