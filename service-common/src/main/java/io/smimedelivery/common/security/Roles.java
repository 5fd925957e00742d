package io.smimedelivery.common.security;

/**
 * The roles of administrator tokens. Every REST endpoint names who may call it; one without a rule is
 * refused (quarkus.security.jaxrs.deny-unannotated-endpoints).
 */
public final class Roles {

    /** Everything: configuration, imports, assignments, retirements, key rotation, the audit log. */
    public static final String ADMIN = "smime-admin";
    /** Reports and every read, nothing that changes state. */
    public static final String READER = "smime-reader";
    /** Device enrollment only, for the MDM connector that registers devices. */
    public static final String ENROLLER = "smime-enroller";

    private Roles() {
    }
}
