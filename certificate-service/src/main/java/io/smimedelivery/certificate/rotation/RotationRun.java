package io.smimedelivery.certificate.rotation;

import java.time.Instant;
import java.util.UUID;

/**
 * One run of the key rotation, as stored in {@code kek_rotation}.
 *
 * @param targetKeyId   the current key id when the run started
 * @param status        RUNNING, COMPLETED, FAILED (some values could not be re-encrypted) or INTERRUPTED
 * @param total         values under other configured key ids when the run started
 * @param done          values re-encrypted under {@code targetKeyId}
 * @param errors        values that could not be decrypted and stay under their old key id
 * @param lastError     table, row id and reason of the last failure, or null
 * @param stopRequested whether a stop was requested
 */
public record RotationRun(UUID id, String targetKeyId, String status, int total, int done, int errors,
        String lastError, boolean stopRequested, Instant startedAt, Instant finishedAt) {

    public static final String RUNNING = "RUNNING";
    public static final String COMPLETED = "COMPLETED";
    public static final String FAILED = "FAILED";
    public static final String INTERRUPTED = "INTERRUPTED";
}
