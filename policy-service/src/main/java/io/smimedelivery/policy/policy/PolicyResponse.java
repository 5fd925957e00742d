package io.smimedelivery.policy.policy;

import java.time.Instant;
import java.util.UUID;

/** A policy as the API returns it: the newest version's settings. */
public record PolicyResponse(UUID id, String name, String description, int version, Instant createdAt,
        Instant updatedAt, PolicyDocument settings) {
}
