package io.smimedelivery.certificate.selection;

/** A role on the device that a user's certificates cannot fill, or the cause of it. */
public enum SelectionFailure {
    /** No S/MIME certificate of the user that allows encryption is valid now. */
    NO_ENCRYPTION_CERTIFICATE,
    /** No S/MIME certificate of the user that allows signing is valid now. */
    NO_SIGNING_CERTIFICATE,
    /** A certificate would fill a missing role but is issued for a different e-mail address. */
    EMAIL_MISMATCH
}
