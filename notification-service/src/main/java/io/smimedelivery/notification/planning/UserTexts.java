package io.smimedelivery.notification.planning;

/** End-user texts in the user's language, for the notification list and pushes. */
public interface UserTexts {

    /** A title and body shown to the user. */
    record Text(String title, String body) {
    }

    /**
     * Returns the Company Portal notification list entry for a notification.
     *
     * @param language it or en
     * @param kind     READY or FAILED
     */
    Text listEntry(String language, String kind, String policyName);

    /** Returns the push alert for a notification, in the same way as {@link #listEntry}. */
    Text push(String language, String kind, String policyName);
}
