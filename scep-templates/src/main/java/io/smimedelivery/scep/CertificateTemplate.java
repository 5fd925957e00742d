package io.smimedelivery.scep;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Parsed certificate template: static text with {@code {{Variable}}} placeholders, where each variable is a
 * {@link SubjectVariable}. Single braces are static text, <code>{{</code> always opens a placeholder and <code>}}</code>
 * outside a placeholder is an error.
 */
public final class CertificateTemplate {

    private static final String OPEN = "{{";
    private static final String CLOSE = "}}";

    private final String template;
    private final List<Part> parts;
    private final Set<SubjectVariable> variables;

    private CertificateTemplate(String template, List<Part> parts) {
        this.template = template;
        this.parts = List.copyOf(parts);
        Set<SubjectVariable> found = new LinkedHashSet<>();
        for (Part part : parts) {
            if (part instanceof Placeholder placeholder) {
                found.add(placeholder.variable());
            }
        }
        this.variables = Collections.unmodifiableSet(found);
    }

    /**
     * Parses {@code template} into static text and placeholders.
     *
     * @throws TemplateSyntaxException for an unknown variable, an empty <code>{{}}</code>, an unclosed <code>{{</code>,
     *                                 a <code>}}</code> without an opening <code>{{</code> or a brace inside a placeholder
     */
    public static CertificateTemplate parse(String template) {
        Objects.requireNonNull(template, "template");
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int literalStart = 0;
        int index = 0;

        while (index < template.length()) {
            if (template.startsWith(OPEN, index)) {
                if (literal.length() > 0) {
                    parts.add(new Literal(literal.toString(), literalStart));
                    literal.setLength(0);
                }
                int closeIndex = findClose(template, index);
                String name = template.substring(index + OPEN.length(), closeIndex);
                parts.add(new Placeholder(resolveVariable(name, index), index));
                index = closeIndex + CLOSE.length();
                literalStart = index;
            } else if (template.startsWith(CLOSE, index)) {
                throw new TemplateSyntaxException(index, "Unexpected }} at position " + index
                        + " without an opening {{. Remove it or add the missing {{.");
            } else {
                literal.append(template.charAt(index));
                index++;
            }
        }
        if (literal.length() > 0) {
            parts.add(new Literal(literal.toString(), literalStart));
        }
        return new CertificateTemplate(template, parts);
    }

    /** Returns the index of the <code>}}</code> that closes the placeholder opened at {@code openIndex}. */
    private static int findClose(String template, int openIndex) {
        for (int index = openIndex + OPEN.length(); index < template.length(); index++) {
            if (template.startsWith(CLOSE, index)) {
                return index;
            }
            char c = template.charAt(index);
            if (c == '{' || c == '}') {
                throw new TemplateSyntaxException(index, "Unexpected brace '" + c + "' at position " + index
                        + " inside the variable that starts at position " + openIndex
                        + ". Variables cannot be nested or contain braces.");
            }
        }
        throw new TemplateSyntaxException(openIndex, "Unclosed variable at position " + openIndex
                + ". Add }} after the variable name.");
    }

    private static SubjectVariable resolveVariable(String name, int position) {
        if (name.isEmpty()) {
            throw new TemplateSyntaxException(position, "Empty variable {{}} at position " + position
                    + ". Write one of " + SubjectVariable.allPlaceholders() + ".");
        }
        return SubjectVariable.fromTemplateName(name).orElseThrow(() -> unknownVariable(name, position));
    }

    private static TemplateSyntaxException unknownVariable(String name, int position) {
        String message = "Unknown variable {{" + name + "}} at position " + position + ".";
        String trimmed = name.strip();
        for (SubjectVariable variable : SubjectVariable.values()) {
            if (variable.templateName().equalsIgnoreCase(trimmed)) {
                return new TemplateSyntaxException(position, message
                        + " Variable names are case-sensitive and contain no spaces, so write "
                        + variable.placeholder() + ".");
            }
        }
        return new TemplateSyntaxException(position, message + " Use one of " + SubjectVariable.allPlaceholders()
                + ".");
    }

    /** Returns the template text as parsed. */
    public String template() {
        return template;
    }

    /** Returns the variables that the template uses, in order of first appearance. */
    public Set<SubjectVariable> variables() {
        return variables;
    }

    /**
     * Replaces each placeholder with its value and returns the text. Values are inserted as given, without escaping.
     *
     * @throws IllegalArgumentException when {@code values} has no value for a variable that the template uses
     */
    public String render(Map<SubjectVariable, String> values) {
        return renderWithPositions(values).text();
    }

    /** Renders the template with {@link SubjectVariable#sampleValue()} for every variable. */
    RenderedText renderSample() {
        return renderWithPositions(SubjectVariable.sampleValues());
    }

    RenderedText renderWithPositions(Map<SubjectVariable, String> values) {
        Objects.requireNonNull(values, "values");
        StringBuilder text = new StringBuilder();
        List<Integer> positions = new ArrayList<>();

        for (Part part : parts) {
            if (part instanceof Literal literal) {
                for (int offset = 0; offset < literal.text().length(); offset++) {
                    text.append(literal.text().charAt(offset));
                    positions.add(literal.position() + offset);
                }
            } else if (part instanceof Placeholder placeholder) {
                String value = values.get(placeholder.variable());
                if (value == null) {
                    throw new IllegalArgumentException("Missing value for " + placeholder.variable().placeholder()
                            + ", which the template '" + template + "' uses. Provide a value for "
                            + placeholder.variable() + ".");
                }
                text.append(value);
                for (int offset = 0; offset < value.length(); offset++) {
                    positions.add(placeholder.position());
                }
            }
        }
        return new RenderedText(text.toString(), positions.stream().mapToInt(Integer::intValue).toArray());
    }

    List<Part> parts() {
        return parts;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CertificateTemplate that && template.equals(that.template);
    }

    @Override
    public int hashCode() {
        return template.hashCode();
    }

    @Override
    public String toString() {
        return template;
    }

    /** Piece of a parsed template, starting at {@code position()} in the template text. */
    sealed interface Part permits Literal, Placeholder {
        int position();
    }

    /** Static text, exactly as written. */
    record Literal(String text, int position) implements Part {
    }

    /** A {@code {{Variable}}} placeholder. */
    record Placeholder(SubjectVariable variable, int position) implements Part {
    }

    /**
     * Rendered text with, for each character, the template position it came from. Characters of a substituted value
     * map to the start of their placeholder.
     */
    record RenderedText(String text, int[] templatePositions) {

        int templatePosition(int index) {
            return templatePositions[index];
        }
    }
}
