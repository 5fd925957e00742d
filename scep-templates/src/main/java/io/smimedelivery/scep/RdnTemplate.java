package io.smimedelivery.scep;

import java.util.List;
import java.util.Map;

import io.smimedelivery.scep.CertificateTemplate.Literal;
import io.smimedelivery.scep.CertificateTemplate.Part;
import io.smimedelivery.scep.CertificateTemplate.Placeholder;

/**
 * One {@code ATTRIBUTE=value} RDN of a subject name format. The value parts contain unescaped static text and
 * placeholders, with unescaped spaces at both ends already removed.
 *
 * @param attribute     attribute type
 * @param position      index of the attribute type in the format text
 * @param valuePosition index of the first value character or placeholder in the format text
 * @param valueParts    static text and placeholders of the value, never empty
 */
record RdnTemplate(DnAttribute attribute, int position, int valuePosition, List<Part> valueParts) {

    RdnTemplate {
        valueParts = List.copyOf(valueParts);
    }

    boolean isStatic() {
        return valueParts.stream().allMatch(part -> part instanceof Literal);
    }

    /**
     * Concatenates the static text and the values of the placeholders, without escaping.
     *
     * @throws IllegalArgumentException when {@code values} has no value for a placeholder
     */
    String renderValue(Map<SubjectVariable, String> values) {
        StringBuilder value = new StringBuilder();
        for (Part part : valueParts) {
            if (part instanceof Literal literal) {
                value.append(literal.text());
            } else if (part instanceof Placeholder placeholder) {
                String substituted = values.get(placeholder.variable());
                if (substituted == null) {
                    throw new IllegalArgumentException("Missing value for " + placeholder.variable().placeholder()
                            + ", which the subject name uses in " + attribute + ". Provide a value for "
                            + placeholder.variable() + ".");
                }
                value.append(substituted);
            }
        }
        return value.toString();
    }

    /**
     * Returns null when {@code value} is acceptable for the attribute, otherwise the rule it breaks as a phrase that
     * follows the attribute name, such as "must not be empty".
     */
    String findProblem(String value) {
        if (value.isBlank()) {
            return "must not be empty";
        }
        if (attribute == DnAttribute.C && !isTwoLetterCode(value)) {
            return "must be a two-letter ISO 3166 country code such as IT";
        }
        String allowedCharacters = attribute.checkCharacters(value);
        if (allowedCharacters != null) {
            return "must contain " + allowedCharacters;
        }
        return null;
    }

    private static boolean isTwoLetterCode(String value) {
        return value.length() == 2 && value.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
    }
}
