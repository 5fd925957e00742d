package io.smimedelivery.notification.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MailAddressesTest {

    @Test
    void asciiAddressUnchanged() {
        assertEquals("mario.rossi@example.it", MailAddresses.toAsciiAddress("mario.rossi@example.it"));
    }

    @Test
    void domainConvertedToPunycode() {
        assertEquals("mario@xn--perch-fsa.example", MailAddresses.toAsciiAddress("mario@perché.example"));
        assertEquals("Mario.Rossi@xn--mnchen-3ya.xn--caf-dma.example",
                MailAddresses.toAsciiAddress("Mario.Rossi@münchen.café.example"));
    }

    @Test
    void invalidAddressesRejected() {
        for (String address : new String[] { "mário@example.it", "mario", "@example.it", "mario@",
                "mario rossi@example.it", "mario@exa mple.it", "mario@-example.it" }) {
            assertThrows(IllegalArgumentException.class, () -> MailAddresses.toAsciiAddress(address), address);
        }
    }
}
