package io.smimedelivery.certificate.scep;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Creates one-time SCEP challenges. A challenge is 32 random letters and digits (about 190 bits), which
 * fit a PrintableString, and only its SHA-256 is stored. The caller puts the challenge into the device's
 * encrypted package and nowhere else.
 */
@ApplicationScoped
public class ScepChallenges {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int LENGTH = 32;

    private final ScepStore store;
    private final ScepConfig config;
    private final SecureRandom random = new SecureRandom();

    public ScepChallenges(ScepStore store, ScepConfig config) {
        this.store = store;
        this.config = config;
    }

    /**
     * Stores a new challenge for the request the spec describes and returns it; joins the caller's
     * transaction. Its lifetime starts when the package is downloaded, or at once without a package.
     */
    @jakarta.transaction.Transactional
    public String create(ChallengeSpec spec, UUID packageId) {
        StringBuilder challenge = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            challenge.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        store.insertChallenge(ScepEnrollment.sha256(challenge.toString()), spec, packageId, config.challengeLifetime(),
                packageId == null ? Instant.now().plus(config.challengeLifetime()) : null);
        return challenge.toString();
    }
}
