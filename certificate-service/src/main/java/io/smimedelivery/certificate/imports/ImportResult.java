package io.smimedelivery.certificate.imports;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Outcome of one file: IMPORTED, UNCHANGED (every certificate was imported before) or REJECTED with a
 * reason code and a sentence that explains the fix.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImportResult(int file, String user, String status, String reasonCode, String message,
        List<Certificate> certificates) {

    /** A certificate of the file, by thumbprint; the key never appears in a result. */
    public record Certificate(String thumbprintSha256, String thumbprintSha1, String serialNumberHex, String subjectDn,
            String purpose, Instant notAfter, boolean alreadyImported) {
    }

    static ImportResult rejected(int file, String user, String reasonCode, String message) {
        return new ImportResult(file, user, "REJECTED", reasonCode, message, null);
    }
}
