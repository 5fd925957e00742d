package io.smimedelivery.notification.mail;

import java.net.IDN;

/** Recipient addresses in the form that SMTP without the SMTPUTF8 extension accepts. */
final class MailAddresses {

    private MailAddresses() {
    }

    /**
     * Returns {@code address} with its domain converted to ASCII by {@link IDN#toASCII}, such as
     * {@code mario@xn--perch-fsa.example} for {@code mario@perché.example}. The local part stays as it is.
     *
     * <p>A non-ASCII local part is rejected rather than sent: it needs the SMTPUTF8 extension (RFC 6531),
     * and the Vert.x mail client 4.5 behind quarkus-mailer never requests it.
     *
     * <p>NOTE: {@link IDN} implements IDNA 2003. For the few characters where IDNA 2008 differs, such as
     * "ß", the result is the IDNA 2003 form ({@code straße.de} becomes {@code strasse.de}).
     *
     * @throws IllegalArgumentException if the address has no "@", an empty local part or domain, a local
     *                                  part with characters outside printable ASCII, or a domain that is
     *                                  not a valid host name
     */
    static String toAsciiAddress(String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            throw new IllegalArgumentException(
                    "Invalid e-mail address '" + address + "': expected local-part@domain");
        }
        String localPart = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (!localPart.chars().allMatch(c -> c > 0x20 && c <= 0x7E)) {
            throw new IllegalArgumentException("Invalid e-mail address '" + address
                    + "': the local part must be printable ASCII, because sending to a non-ASCII local part"
                    + " needs SMTPUTF8, which the mail client does not support");
        }
        String asciiDomain;
        try {
            asciiDomain = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Invalid e-mail address '" + address + "': invalid domain: " + e.getMessage(), e);
        }
        return localPart + "@" + asciiDomain;
    }
}
