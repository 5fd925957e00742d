package io.smimedelivery.certificate.imports;

/**
 * One PKCS#12 file to import, for a user named by e-mail address or by user principal name.
 *
 * @param email             the user's primary e-mail address; when given, the certificate must carry it
 * @param userPrincipalName the user's sign-in name, used when no e-mail address is given
 * @param purpose           ENCRYPTION, SIGNING or UNASSIGNED (derived from the key usage); null is UNASSIGNED
 * @param pkcs12            the file, Base64
 * @param password          the file's password as the user typed it; UTF-8 JSON carries any character
 * @param encryptedPassword instead of {@code password}: the UTF-8 password encrypted with RSA-OAEP
 *                          (SHA-256) to the service's import key, Base64
 */
public record ImportFile(String email, String userPrincipalName, String purpose, String pkcs12, String password,
        String encryptedPassword) {

    /** Never prints the file or the password. */
    @Override
    public String toString() {
        return "ImportFile[email=" + email + ", userPrincipalName=" + userPrincipalName + ", purpose=" + purpose + "]";
    }
}
