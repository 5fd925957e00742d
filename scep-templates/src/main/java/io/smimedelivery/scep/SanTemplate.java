package io.smimedelivery.scep;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.smimedelivery.scep.CertificateTemplate.RenderedText;

/**
 * Validated subject alternative name template, such as an EMAIL name {@code {{EmailAddress}}} or a DNS name
 * {@code {{DeviceName}}.devices.contoso.com}. The constructor rejects invalid templates, so every instance is valid.
 *
 * @param type          kind of subject alternative name
 * @param valueTemplate value text with {@code {{Variable}}} placeholders
 */
public record SanTemplate(SanType type, String valueTemplate) {

    private static final int MAX_DNS_NAME_LENGTH = 253;
    private static final int MAX_DNS_LABEL_LENGTH = 63;

    /**
     * Checks the template syntax, then renders it with sample values and checks the shape of the result. An EMAIL
     * value needs exactly one '@' and a UPN value at least one. A URI value must be an absolute URI, and a DNS value
     * a host name.
     *
     * @throws TemplateSyntaxException with the position of the variable or static text that breaks a rule
     */
    public SanTemplate {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(valueTemplate, "valueTemplate");
        CertificateTemplate template = CertificateTemplate.parse(valueTemplate);
        RenderedText sample = template.renderSample();
        ShapeProblem problem = findShapeProblem(type, sample.text());
        if (problem != null) {
            int position = sample.text().isEmpty() ? 0 : sample.templatePosition(problem.index());
            String message = "Invalid " + type + " value at position " + position + ". " + problem.message();
            if (!template.variables().isEmpty()) {
                message += " With sample values the value becomes '" + sample.text() + "'.";
            }
            throw new TemplateSyntaxException(position, message);
        }
    }

    /** Parses and checks a template, as the constructor does. */
    public static SanTemplate parse(SanType type, String valueTemplate) {
        return new SanTemplate(type, valueTemplate);
    }

    /** Returns the variables that the template uses, in order of first appearance. */
    public Set<SubjectVariable> variables() {
        return CertificateTemplate.parse(valueTemplate).variables();
    }

    /**
     * Substitutes {@code values} and returns the subject alternative name value.
     *
     * @throws IllegalArgumentException when a variable has no value, or the rendered value breaks the shape rule of
     *                                  the type, such as a device name with a space in a DNS name
     */
    public String render(Map<SubjectVariable, String> values) {
        String rendered = CertificateTemplate.parse(valueTemplate).render(values);
        ShapeProblem problem = findShapeProblem(type, rendered);
        if (problem != null) {
            throw new IllegalArgumentException("Invalid " + type + " subject alternative name '" + rendered
                    + "' from the template '" + valueTemplate + "'. " + problem.message()
                    + " Correct the user or device attribute, or change the template.");
        }
        return rendered;
    }

    /** Rule broken at {@code index} of the rendered value. */
    private record ShapeProblem(int index, String message) {
    }

    private static ShapeProblem findShapeProblem(SanType type, String value) {
        if (value.isBlank()) {
            return new ShapeProblem(0, "The value is empty. Write a value such as " + example(type) + ".");
        }
        return switch (type) {
            case EMAIL -> findAddressProblem(value, true);
            case UPN -> findAddressProblem(value, false);
            case URI -> findUriProblem(value);
            case DNS -> findDnsProblem(value);
        };
    }

    private static String example(SanType type) {
        return switch (type) {
            case EMAIL -> "{{EmailAddress}}";
            case UPN -> "{{UserPrincipalName}}";
            case URI -> "urn:device:{{DeviceId}}";
            case DNS -> "{{DeviceName}}.devices.contoso.com";
        };
    }

    /** Checks an e-mail address or UPN: an '@' with text on both sides and no whitespace. */
    private static ShapeProblem findAddressProblem(String value, boolean exactlyOneAt) {
        String kind = exactlyOneAt ? "An e-mail address" : "A user principal name";
        for (int i = 0; i < value.length(); i++) {
            if (Character.isWhitespace(value.charAt(i))) {
                return new ShapeProblem(i, kind + " must not contain whitespace. Remove it.");
            }
        }
        int at = value.indexOf('@');
        if (at < 0) {
            return new ShapeProblem(0, kind + " must contain '@', as in " + (exactlyOneAt
                    ? "{{EmailAddress}} or {{UserName}}@contoso.com."
                    : "{{UserPrincipalName}} or {{UserName}}@contoso.com."));
        }
        int secondAt = value.indexOf('@', at + 1);
        if (exactlyOneAt && secondAt >= 0) {
            return new ShapeProblem(secondAt, kind + " must contain exactly one '@'. Remove the extra '@'.");
        }
        int lastAt = value.lastIndexOf('@');
        if (at == 0 || lastAt == value.length() - 1) {
            int index = at == 0 ? 0 : lastAt;
            return new ShapeProblem(index, kind + " needs text before and after '@', as in user@contoso.com.");
        }
        return null;
    }

    private static ShapeProblem findUriProblem(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            int index = Math.max(0, Math.min(e.getIndex(), value.length() - 1));
            return new ShapeProblem(index, "The value is not a valid URI (" + e.getReason()
                    + "). Percent-encode characters such as spaces.");
        }
        if (!uri.isAbsolute()) {
            return new ShapeProblem(0, "The value is not an absolute URI. Start it with a scheme, as in "
                    + "urn:device:{{DeviceId}} or https://contoso.com/users/{{UserName}}.");
        }
        return null;
    }

    /** Checks a host name: dot-separated labels of 1 to 63 letters, digits and hyphens, at most 253 characters. */
    private static ShapeProblem findDnsProblem(String value) {
        if (value.length() > MAX_DNS_NAME_LENGTH) {
            return new ShapeProblem(0, "A DNS name must not be longer than " + MAX_DNS_NAME_LENGTH
                    + " characters, but it has " + value.length() + ". Shorten it.");
        }
        int labelStart = 0;
        while (labelStart <= value.length()) {
            int dot = value.indexOf('.', labelStart);
            int labelEnd = dot < 0 ? value.length() : dot;
            ShapeProblem problem = findLabelProblem(value, labelStart, labelEnd);
            if (problem != null) {
                return problem;
            }
            labelStart = labelEnd + 1;
        }
        return null;
    }

    private static ShapeProblem findLabelProblem(String value, int start, int end) {
        if (end == start) {
            return new ShapeProblem(Math.min(start, value.length() - 1), "A DNS name must not contain an empty "
                    + "label. Remove the extra dot.");
        }
        if (end - start > MAX_DNS_LABEL_LENGTH) {
            return new ShapeProblem(start, "The DNS label '" + value.substring(start, end) + "' is longer than "
                    + MAX_DNS_LABEL_LENGTH + " characters. Shorten it.");
        }
        for (int i = start; i < end; i++) {
            char c = value.charAt(i);
            boolean letterOrDigit = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!letterOrDigit && c != '-') {
                return new ShapeProblem(i, "A DNS name may contain only letters, digits, hyphens and dots, but it "
                        + "contains '" + c + "'. Remove the character or use a variable that fits.");
            }
        }
        if (value.charAt(start) == '-' || value.charAt(end - 1) == '-') {
            int index = value.charAt(start) == '-' ? start : end - 1;
            return new ShapeProblem(index, "The DNS label '" + value.substring(start, end) + "' starts or ends "
                    + "with a hyphen. Remove the hyphen.");
        }
        return null;
    }
}
