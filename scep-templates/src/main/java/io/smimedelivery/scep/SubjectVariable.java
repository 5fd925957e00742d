package io.smimedelivery.scep;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Variable that a SCEP certificate profile can place in a subject name or subject alternative name, written
 * {@code {{Name}}} in a template. Names are case-sensitive.
 */
public enum SubjectVariable {
    USER_PRINCIPAL_NAME("UserPrincipalName", "user@example.com"),
    EMAIL_ADDRESS("EmailAddress", "user@example.com"),
    USER_NAME("UserName", "user"),
    DEVICE_ID("DeviceId", "0f8fad5b-d9cb-469f-a165-70867728950e"),
    SERIAL_NUMBER("SerialNumber", "F2LXK1ABJG5H"),
    DEVICE_NAME("DeviceName", "iPhone");

    private final String templateName;
    private final String sampleValue;

    SubjectVariable(String templateName, String sampleValue) {
        this.templateName = templateName;
        this.sampleValue = sampleValue;
    }

    /** Returns the name as written between the braces, such as {@code UserName}. */
    public String templateName() {
        return templateName;
    }

    /** Returns the placeholder as written in a template, such as {@code {{UserName}}}. */
    public String placeholder() {
        return "{{" + templateName + "}}";
    }

    /**
     * Returns a plausible value used to check the shape of a rendered template. Each sample is a valid DNS label,
     * URI fragment and RFC 4514 attribute value, except the two e-mail-like samples, which contain one {@code @}.
     */
    String sampleValue() {
        return sampleValue;
    }

    /** Returns every variable mapped to its {@link #sampleValue()}. */
    static Map<SubjectVariable, String> sampleValues() {
        Map<SubjectVariable, String> samples = new EnumMap<>(SubjectVariable.class);
        for (SubjectVariable variable : values()) {
            samples.put(variable, variable.sampleValue);
        }
        return samples;
    }

    /** Finds the variable whose template name equals {@code name} exactly, so {@code username} finds nothing. */
    public static Optional<SubjectVariable> fromTemplateName(String name) {
        for (SubjectVariable variable : values()) {
            if (variable.templateName.equals(name)) {
                return Optional.of(variable);
            }
        }
        return Optional.empty();
    }

    /** Returns all placeholders as a comma-separated list for error messages. */
    static String allPlaceholders() {
        return Arrays.stream(values()).map(SubjectVariable::placeholder).collect(Collectors.joining(", "));
    }
}
