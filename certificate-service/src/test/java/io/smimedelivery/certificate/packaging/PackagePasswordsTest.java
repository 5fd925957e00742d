package io.smimedelivery.certificate.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PackagePasswordsTest {

    @Test
    void randomHas24AlphabetCharacters() {
        for (int i = 0; i < 100; i++) {
            char[] password = PackagePasswords.random();

            assertEquals(24, password.length);
            for (char c : password) {
                assertTrue(PackagePasswords.ALPHABET.indexOf(c) >= 0, "unexpected character " + c);
            }
        }
    }

    @Test
    void alphabetIsUnambiguousAscii() {
        for (char c : PackagePasswords.ALPHABET.toCharArray()) {
            assertTrue((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '2' && c <= '9'), "character " + c);
        }
        for (char ambiguous : "0Oo1Il".toCharArray()) {
            assertFalse(PackagePasswords.ALPHABET.indexOf(ambiguous) >= 0, "ambiguous character " + ambiguous);
        }
        Set<Character> distinct = new HashSet<>();
        for (char c : PackagePasswords.ALPHABET.toCharArray()) {
            distinct.add(c);
        }
        assertEquals(PackagePasswords.ALPHABET.length(), distinct.size(), "duplicate characters skew the distribution");
    }

    @Test
    void randomUsesWholeAlphabet() {
        Set<Character> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            for (char c : PackagePasswords.random()) {
                seen.add(c);
            }
        }

        assertEquals(PackagePasswords.ALPHABET.length(), seen.size());
    }

    @Test
    void randomPasswordsDiffer() {
        Set<String> passwords = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            passwords.add(new String(PackagePasswords.random()));
        }

        assertEquals(1000, passwords.size());
    }
}
