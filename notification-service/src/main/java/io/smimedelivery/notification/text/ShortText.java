package io.smimedelivery.notification.text;

/** Title and body of a push or of an entry in the Company Portal notification list. */
public record ShortText(String title, String body) {
}
