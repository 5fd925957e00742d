package io.smimedelivery.notification.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import jakarta.mail.internet.MimeUtility;

import org.junit.jupiter.api.Test;

class HeaderEncodingTest {

    private static final List<String> SUBJECTS = List.of(
            "Certificati S/MIME pronti: apri Company Portal — perché la tua posta sia più sicura, àèéìòù",
            "Ihre S/MIME-Zertifikate sind bereit: Öffnen Sie das Unternehmensportal, ÄÖÜßäöü ÄÖÜßäöü ÄÖÜßäöü",
            "🔒🔐🔑 Zertifikate 🔒🔐🔑 für Outlook 🔒🔐🔑 auf dem iPhone 🔒🔐🔑 und dem iPad 🔒🔐🔑",
            "文字化けしないことを確認するための長い件名です。証明書の準備ができました。ポータルを開いてください。",
            "Short ASCII subject that is still far longer than one header line may be, so it is encoded too",
            "ä");

    @Test
    void shortAsciiUnchanged() {
        assertEquals("Certificates ready", HeaderEncoding.encodeUnstructured("Subject", "Certificates ready"));
    }

    @Test
    void encodedWordMarkerEncoded() {
        String encoded = HeaderEncoding.encodeUnstructured("Subject", "=?UTF-8?B?YQ==?=");
        assertTrue(encoded.startsWith("=?UTF-8?B?"), encoded);
    }

    @Test
    void wordsDecodeBackToText() throws Exception {
        for (String subject : SUBJECTS) {
            String encoded = HeaderEncoding.encodeUnstructured("Subject", subject);

            assertEquals(subject, MimeUtility.decodeText(MimeUtility.unfold(encoded)), encoded);
        }
    }

    @Test
    void wordsAreValidUtf8Alone() {
        for (String subject : SUBJECTS) {
            String encoded = HeaderEncoding.encodeUnstructured("Subject", subject);
            if (!encoded.startsWith("=?")) {
                continue;
            }
            for (String word : encoded.split(HeaderEncoding.FOLD)) {
                assertTrue(word.startsWith("=?UTF-8?B?"), word);
                assertTrue(word.endsWith("?="), word);
                assertTrue(word.length() <= 75, "RFC 2047 word length: " + word);
                byte[] bytes = Base64.getDecoder().decode(word.substring(10, word.length() - 2));
                try {
                    StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes));
                } catch (CharacterCodingException e) {
                    throw new AssertionError("not valid UTF-8 alone: " + word + " of " + subject, e);
                }
            }
        }
    }

    @Test
    void linesFitHeaderLimit() {
        for (String subject : SUBJECTS) {
            String[] lines = ("Subject: " + HeaderEncoding.encodeUnstructured("Subject", subject)).split("\r\n");
            for (String line : lines) {
                assertTrue(line.length() <= HeaderEncoding.MAX_LINE_LENGTH, line.length() + ": " + line);
            }
        }
    }
}
