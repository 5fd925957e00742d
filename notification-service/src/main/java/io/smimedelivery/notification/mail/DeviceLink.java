package io.smimedelivery.notification.mail;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * A device of the recipient and the address of its landing page, as shown in an e-mail.
 *
 * @param label the device's name or model as the user knows it, such as "iPhone di Mario"
 * @param url   absolute http or https address of the device's landing page
 */
public record DeviceLink(String label, String url) {

    public DeviceLink {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(url, "url");
        if (label.isBlank()) {
            throw new IllegalArgumentException("Invalid device label: it is blank");
        }
        requireWebAddress(url);
    }

    private static void requireWebAddress(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Invalid landing page URL '" + url + "': " + e.getMessage(), e);
        }
        String scheme = uri.getScheme();
        if (!("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme)) || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "Invalid landing page URL '" + url + "': expected an absolute http or https URL with a host");
        }
    }
}
