package io.smimedelivery.notification.mail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * RFC 2047 encoding of unstructured header fields such as Subject, folded with CRLF.
 *
 * <p>The Vert.x mail client 4.5 behind quarkus-mailer encodes a subject itself, but it folds the encoded
 * words with a bare LF instead of CRLF, and it turns each character outside the Basic Multilingual Plane
 * (such as an emoji) into "??". {@link MailComposer} therefore sets the encoded value as a header of its
 * own, which Vert.x writes unchanged in place of the one it would generate.
 */
final class HeaderEncoding {

    /** Maximum length of a header line, without CRLF, that RFC 2047 allows when it contains encoded words. */
    static final int MAX_LINE_LENGTH = 76;

    /**
     * UTF-8 bytes per encoded word. 39 bytes give 52 Base64 characters, so a word is 64 characters long and
     * fits on the first line after a header name of up to 10 characters and ": ".
     */
    static final int MAX_BYTES_PER_WORD = 39;

    static final String FOLD = "\r\n ";

    private static final String WORD_PREFIX = "=?UTF-8?B?";
    private static final String WORD_SUFFIX = "?=";

    private HeaderEncoding() {
    }

    /**
     * Returns the value of header {@code headerName} for {@code text}. Printable ASCII that fits on one line
     * and contains no "=?" stays as it is. Any other text becomes Base64 encoded words of at most
     * {@value #MAX_BYTES_PER_WORD} UTF-8 bytes, one per line. A word never ends inside a character, so each
     * decodes to valid UTF-8 on its own, and the words decode back to exactly {@code text}.
     */
    static String encodeUnstructured(String headerName, String text) {
        if (!needsEncoding(headerName, text)) {
            return text;
        }
        List<String> words = new ArrayList<>();
        ByteArrayOutputStream word = new ByteArrayOutputStream(MAX_BYTES_PER_WORD);
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            byte[] bytes = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
            if (word.size() + bytes.length > MAX_BYTES_PER_WORD) {
                words.add(encodedWord(word.toByteArray()));
                word.reset();
            }
            word.writeBytes(bytes);
        }
        if (word.size() > 0) {
            words.add(encodedWord(word.toByteArray()));
        }
        return String.join(FOLD, words);
    }

    private static boolean needsEncoding(String headerName, String text) {
        if (headerName.length() + 2 + text.length() > MAX_LINE_LENGTH || text.contains("=?")) {
            return true;
        }
        return !text.chars().allMatch(c -> c >= 0x20 && c <= 0x7E);
    }

    private static String encodedWord(byte[] utf8) {
        return WORD_PREFIX + Base64.getEncoder().encodeToString(utf8) + WORD_SUFFIX;
    }
}
