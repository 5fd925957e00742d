package io.smimedelivery.scep;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.smimedelivery.scep.CertificateTemplate.Literal;
import io.smimedelivery.scep.CertificateTemplate.Part;
import io.smimedelivery.scep.CertificateTemplate.Placeholder;

/**
 * Parser for the RDN structure of a subject name format whose placeholders are already parsed. A placeholder
 * counts as value text, as it would after substitution. Static value text follows RFC 4514: the characters
 * {@code " + , ; < > \} and {@code =} must be escaped with a backslash, as must a leading {@code #}, and
 * {@code \XX} hex pairs are UTF-8 bytes. Unescaped spaces around attribute types and values are ignored.
 */
final class SubjectNameParser {

    private static final String ESCAPABLE = ",+\"\\<>;= #";
    private static final char BACKSLASH = '\\';

    private final String format;
    private final List<Item> items;
    private int index;

    private SubjectNameParser(String format, CertificateTemplate template) {
        this.format = format;
        this.items = toItems(template);
    }

    /**
     * Parses the RDNs of {@code template} and checks every value, substituting the sample values of the variables.
     *
     * @throws TemplateSyntaxException with the position of the first invalid RDN, attribute type or value
     */
    static List<RdnTemplate> parse(String format, CertificateTemplate template) {
        SubjectNameParser parser = new SubjectNameParser(format, template);
        List<RdnTemplate> rdns = parser.parseRdns();
        Map<SubjectVariable, String> samples = SubjectVariable.sampleValues();
        for (RdnTemplate rdn : rdns) {
            checkValue(rdn, samples);
        }
        return rdns;
    }

    /** Character of static text, or a placeholder when {@code variable} is not null. */
    private record Item(char character, SubjectVariable variable, int position) {

        boolean is(char c) {
            return variable == null && character == c;
        }
    }

    /** Value character or placeholder. Escaped characters are never treated as separators or trimmed. */
    private record ValueItem(char character, boolean escaped, SubjectVariable variable, int position) {

        boolean isUnescapedSpace() {
            return variable == null && !escaped && character == ' ';
        }
    }

    private static List<Item> toItems(CertificateTemplate template) {
        List<Item> items = new ArrayList<>();
        for (Part part : template.parts()) {
            if (part instanceof Literal literal) {
                for (int offset = 0; offset < literal.text().length(); offset++) {
                    items.add(new Item(literal.text().charAt(offset), null, literal.position() + offset));
                }
            } else if (part instanceof Placeholder placeholder) {
                items.add(new Item('\0', placeholder.variable(), placeholder.position()));
            }
        }
        return items;
    }

    private List<RdnTemplate> parseRdns() {
        List<RdnTemplate> rdns = new ArrayList<>();
        skipSpaces();
        if (atEnd()) {
            throw new TemplateSyntaxException(0, "The subject name format is empty. Write at least one RDN, "
                    + "such as CN={{UserName}}.");
        }
        while (true) {
            rdns.add(parseRdn());
            if (atEnd()) {
                return rdns;
            }
            int commaPosition = items.get(index).position();
            index++;
            skipSpaces();
            if (atEnd() || current().is(',')) {
                throw new TemplateSyntaxException(commaPosition, "Empty RDN after the comma at position "
                        + commaPosition + ". Remove the comma or write an RDN such as OU=Mobile after it.");
            }
        }
    }

    /** Parses one RDN and stops at the comma that ends it, or at the end of the format. */
    private RdnTemplate parseRdn() {
        skipSpaces();
        int rdnStart = current().position();
        if (current().is(',')) {
            throw new TemplateSyntaxException(rdnStart, "Empty RDN at position " + rdnStart
                    + ". Remove the extra comma.");
        }
        DnAttribute attribute = parseAttributeType(rdnStart);
        index++;
        List<ValueItem> value = trim(parseValue(attribute));
        if (value.isEmpty()) {
            throw new TemplateSyntaxException(rdnStart, "Empty value for " + attribute + " at position " + rdnStart
                    + ". Write a value or a variable after '='.");
        }
        ValueItem first = value.get(0);
        if (first.variable() == null && !first.escaped() && first.character() == '#') {
            throw new TemplateSyntaxException(first.position(), "The value of " + attribute + " starts with '#' at "
                    + "position " + first.position() + ". Hex-encoded values are not supported, so write \\# for a "
                    + "number sign.");
        }
        return new RdnTemplate(attribute, rdnStart, first.position(), toParts(value));
    }

    /** Reads the attribute type up to '=' and leaves {@code index} on the '='. */
    private DnAttribute parseAttributeType(int rdnStart) {
        StringBuilder name = new StringBuilder();
        while (!atEnd() && !current().is('=')) {
            Item item = current();
            if (item.variable() != null) {
                throw new TemplateSyntaxException(item.position(), "Variable " + item.variable().placeholder()
                        + " at position " + item.position() + " is in an attribute type. Variables may appear "
                        + "only in values, as in CN=" + item.variable().placeholder() + ".");
            }
            if (item.is(',')) {
                break;
            }
            name.append(item.character());
            index++;
        }
        if (atEnd() || current().is(',')) {
            int rdnEnd = atEnd() ? format.length() : current().position();
            throw new TemplateSyntaxException(rdnStart, "The RDN '" + format.substring(rdnStart, rdnEnd).strip()
                    + "' at position " + rdnStart + " has no '='. Write each RDN as ATTRIBUTE=value, such as "
                    + "OU=Mobile.");
        }
        String typeName = name.toString().strip();
        if (typeName.isEmpty()) {
            throw new TemplateSyntaxException(rdnStart, "Missing attribute type before '=' at position "
                    + current().position() + ". Use one of " + DnAttribute.allNames() + ".");
        }
        return DnAttribute.fromName(typeName).orElseThrow(() -> new TemplateSyntaxException(rdnStart,
                "Unknown attribute type '" + typeName + "' at position " + rdnStart + ". Use one of "
                        + DnAttribute.allNames() + "."));
    }

    /** Reads value items up to an unescaped comma, which stays unread, or the end of the format. */
    private List<ValueItem> parseValue(DnAttribute attribute) {
        List<ValueItem> value = new ArrayList<>();
        while (!atEnd() && !current().is(',')) {
            Item item = current();
            if (item.variable() != null) {
                value.add(new ValueItem('\0', false, item.variable(), item.position()));
                index++;
            } else if (item.character() == BACKSLASH) {
                readEscape(value);
            } else {
                rejectUnescapedSpecial(item, attribute);
                value.add(new ValueItem(item.character(), false, null, item.position()));
                index++;
            }
        }
        return value;
    }

    private void rejectUnescapedSpecial(Item item, DnAttribute attribute) {
        char c = item.character();
        int position = item.position();
        String prefix = "Unescaped '" + c + "' at position " + position + " in the value of " + attribute + ".";
        switch (c) {
            case '+' -> throw new TemplateSyntaxException(position, prefix + " Multi-valued RDNs are not supported, "
                    + "so write \\+ for a plus sign or separate the attributes with a comma.");
            case '=' -> throw new TemplateSyntaxException(position, prefix + " Write \\= for an equals sign, or add "
                    + "the missing comma before the next attribute.");
            case ';' -> throw new TemplateSyntaxException(position, prefix + " Write \\; for a semicolon, and "
                    + "separate RDNs with commas.");
            case '"', '<', '>' -> throw new TemplateSyntaxException(position, prefix + " Write \\" + c + " instead.");
            default -> {
                // Any other character is value text.
            }
        }
    }

    /** Reads a backslash escape at {@code index}, decoding a run of hex pairs as UTF-8. */
    private void readEscape(List<ValueItem> value) {
        int escapePosition = current().position();
        if (isHexPairAt(index + 1)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            while (index < items.size() && current().is(BACKSLASH) && isHexPairAt(index + 1)) {
                String hex = "" + items.get(index + 1).character() + items.get(index + 2).character();
                bytes.write(Integer.parseInt(hex, 16));
                index += 3;
            }
            for (char c : decodeUtf8(bytes.toByteArray(), escapePosition).toCharArray()) {
                value.add(new ValueItem(c, true, null, escapePosition));
            }
            return;
        }
        Item next = index + 1 < items.size() ? items.get(index + 1) : null;
        if (next == null || next.variable() != null) {
            throw new TemplateSyntaxException(escapePosition, "Incomplete escape at position " + escapePosition
                    + ". Follow the backslash with one of , + \" \\ < > ; = # or a space, or with two hex digits.");
        }
        if (ESCAPABLE.indexOf(next.character()) < 0) {
            throw new TemplateSyntaxException(escapePosition, "Invalid escape '\\" + next.character()
                    + "' at position " + escapePosition + ". Escape only , + \" \\ < > ; = # and space, or write "
                    + "a character as two hex digits such as \\2C.");
        }
        value.add(new ValueItem(next.character(), true, null, escapePosition));
        index += 2;
    }

    private boolean isHexPairAt(int start) {
        return start + 1 < items.size() && isHexDigit(items.get(start)) && isHexDigit(items.get(start + 1));
    }

    private static boolean isHexDigit(Item item) {
        return item.variable() == null && Character.digit(item.character(), 16) >= 0;
    }

    private static String decodeUtf8(byte[] bytes, int position) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new TemplateSyntaxException(position, "The hex escapes at position " + position
                    + " are not valid UTF-8. Write each character as the hex pairs of its UTF-8 bytes.");
        }
    }

    private static List<ValueItem> trim(List<ValueItem> value) {
        int start = 0;
        int end = value.size();
        while (start < end && value.get(start).isUnescapedSpace()) {
            start++;
        }
        while (end > start && value.get(end - 1).isUnescapedSpace()) {
            end--;
        }
        return value.subList(start, end);
    }

    private static List<Part> toParts(List<ValueItem> value) {
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int textStart = -1;
        for (ValueItem item : value) {
            if (item.variable() == null) {
                if (text.length() == 0) {
                    textStart = item.position();
                }
                text.append(item.character());
                continue;
            }
            if (text.length() > 0) {
                parts.add(new Literal(text.toString(), textStart));
                text.setLength(0);
            }
            parts.add(new Placeholder(item.variable(), item.position()));
        }
        if (text.length() > 0) {
            parts.add(new Literal(text.toString(), textStart));
        }
        return parts;
    }

    private static void checkValue(RdnTemplate rdn, Map<SubjectVariable, String> samples) {
        String value = rdn.renderValue(samples);
        String problem = rdn.findProblem(value);
        if (problem == null) {
            return;
        }
        String attribute = rdn.attribute().name();
        if (rdn.isStatic()) {
            throw new TemplateSyntaxException(rdn.valuePosition(), "Invalid value '" + value + "' for " + attribute
                    + " at position " + rdn.valuePosition() + ". " + attribute + " " + problem + ".");
        }
        String variables = rdn.valueParts().stream()
                .filter(part -> part instanceof Placeholder)
                .map(part -> ((Placeholder) part).variable().placeholder())
                .collect(Collectors.joining(", "));
        throw new TemplateSyntaxException(rdn.valuePosition(), "The value of " + attribute + " at position "
                + rdn.valuePosition() + " uses " + variables + " and becomes '" + value + "' with sample values, but "
                + attribute + " " + problem + ". Use a variable that fits, or static text.");
    }

    private void skipSpaces() {
        while (!atEnd() && current().is(' ')) {
            index++;
        }
    }

    private boolean atEnd() {
        return index >= items.size();
    }

    private Item current() {
        return items.get(index);
    }
}
