package io.smimedelivery.events.appconfig;

import java.util.Map;

/**
 * Writes a flat map of Boolean and String values as an Apple XML property list.
 *
 * <p>The output is built as text, so this class alone fixes its exact bytes and no serializer
 * setting can change them. Lines end with LF and dict entries are indented with one tab.
 */
final class XmlPlistWriter {

    static final String XML_DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    static final String DOCTYPE_PUBLIC_ID = "-//Apple//DTD PLIST 1.0//EN";
    static final String DOCTYPE_SYSTEM_ID = "http://www.apple.com/DTDs/PropertyList-1.0.dtd";

    private XmlPlistWriter() {
    }

    /**
     * Writes the document for the given entries in iteration order. The caller has checked that
     * every key is non-empty and every value is a Boolean or a String.
     *
     * @throws IllegalArgumentException if a key or String value contains a character that XML 1.0
     *     cannot represent
     */
    static String write(Map<String, Object> entries) {
        StringBuilder xml = new StringBuilder(256 + 96 * entries.size());
        xml.append(XML_DECLARATION).append('\n');
        xml.append("<!DOCTYPE plist PUBLIC \"").append(DOCTYPE_PUBLIC_ID)
                .append("\" \"").append(DOCTYPE_SYSTEM_ID).append("\">\n");
        xml.append("<plist version=\"1.0\">\n");
        xml.append("<dict>\n");

        for (Map.Entry<String, Object> entry : entries.entrySet()) {
            String key = entry.getKey();
            xml.append("\t<key>").append(escape(key, "name", key)).append("</key>\n");

            Object value = entry.getValue();
            if (value instanceof Boolean flag) {
                xml.append(flag ? "\t<true/>\n" : "\t<false/>\n");
            } else {
                String text = escape((String) value, "value", key);
                xml.append("\t<string>").append(text).append("</string>\n");
            }
        }

        xml.append("</dict>\n");
        xml.append("</plist>\n");
        return xml.toString();
    }

    /**
     * Escapes text for element content. A carriage return becomes {@code &#13;} because an XML
     * parser turns a literal CR into LF, and the value must read back unchanged.
     */
    private static String escape(String text, String part, String key) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        int index = 0;
        while (index < text.length()) {
            int codePoint = text.codePointAt(index);
            if (!isXmlChar(codePoint)) {
                throw new IllegalArgumentException(String.format(
                        "Invalid character U+%04X at index %d in the %s of app configuration key '%s'."
                                + " XML 1.0 cannot represent it, so remove it.",
                        codePoint, index, part, key));
            }
            switch (codePoint) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '\r' -> escaped.append("&#13;");
                default -> escaped.appendCodePoint(codePoint);
            }
            index += Character.charCount(codePoint);
        }
        return escaped.toString();
    }

    /**
     * Returns whether the code point matches the XML 1.0 {@code Char} production. A lone surrogate
     * arrives here as its own code point in U+D800 to U+DFFF, so it is rejected as well.
     */
    private static boolean isXmlChar(int codePoint) {
        return codePoint == 0x9
                || codePoint == 0xA
                || codePoint == 0xD
                || (codePoint >= 0x20 && codePoint <= 0xD7FF)
                || (codePoint >= 0xE000 && codePoint <= 0xFFFD)
                || (codePoint >= 0x10000 && codePoint <= 0x10FFFF);
    }
}
