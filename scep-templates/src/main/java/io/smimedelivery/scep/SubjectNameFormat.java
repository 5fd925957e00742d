package io.smimedelivery.scep;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Validated X.500 subject name format such as {@code CN={{UserName}},E={{EmailAddress}},OU=Mobile,C=IT}.
 *
 * <p>The format is a comma-separated list of {@code ATTRIBUTE=value} RDNs, one attribute each, with the attribute
 * types CN, E (emailAddress), OU, O, L, ST, C, SERIALNUMBER, UID, DC, STREET and POSTALCODE in any case. Like an
 * RFC 4514 string, it lists the most specific RDN first.
 */
public final class SubjectNameFormat {

    private final String format;
    private final CertificateTemplate template;
    private final List<RdnTemplate> rdns;

    private SubjectNameFormat(String format, CertificateTemplate template, List<RdnTemplate> rdns) {
        this.format = format;
        this.template = template;
        this.rdns = List.copyOf(rdns);
    }

    /**
     * Parses and checks {@code format}. Each value is checked with the sample values of its variables, so
     * {@code C={{UserName}}} is rejected because a user name is not a country code.
     *
     * @throws TemplateSyntaxException with the position of the invalid variable, RDN, attribute type or value
     */
    public static SubjectNameFormat parse(String format) {
        Objects.requireNonNull(format, "format");
        CertificateTemplate template = CertificateTemplate.parse(format);
        return new SubjectNameFormat(format, template, SubjectNameParser.parse(format, template));
    }

    /** Returns the format text as parsed. */
    public String format() {
        return format;
    }

    /** Returns the variables that the format uses, in order of first appearance. */
    public Set<SubjectVariable> variables() {
        return template.variables();
    }

    /**
     * Substitutes {@code values} and returns the subject as an RFC 4514 string with canonical attribute names, such
     * as {@code CN=Rossi\, Mario,C=IT}. Special characters in values and static text are escaped.
     *
     * @throws IllegalArgumentException when a variable has no value or a value does not fit its attribute
     */
    public String render(Map<SubjectVariable, String> values) {
        List<String> rendered = new ArrayList<>();
        for (RenderedRdn rdn : renderRdns(values)) {
            rendered.add(rdn.attribute().name() + "=" + escapeValue(rdn.value()));
        }
        return String.join(",", rendered);
    }

    /**
     * Substitutes {@code values} and returns the subject as an X500Name. As RFC 4514 defines for strings, the last
     * RDN of the format becomes the first RDN of the encoded sequence, so {@code CN=x,C=IT} encodes C before CN.
     *
     * @throws IllegalArgumentException when a variable has no value or a value does not fit its attribute
     */
    public X500Name toX500Name(Map<SubjectVariable, String> values) {
        List<RenderedRdn> rendered = renderRdns(values);
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        for (int i = rendered.size() - 1; i >= 0; i--) {
            RenderedRdn rdn = rendered.get(i);
            builder.addRDN(rdn.attribute().oid(), rdn.attribute().encode(rdn.value()));
        }
        return builder.build();
    }

    private record RenderedRdn(DnAttribute attribute, String value) {
    }

    private List<RenderedRdn> renderRdns(Map<SubjectVariable, String> values) {
        Objects.requireNonNull(values, "values");
        List<RenderedRdn> rendered = new ArrayList<>();
        for (RdnTemplate rdn : rdns) {
            String value = rdn.renderValue(values);
            String problem = rdn.findProblem(value);
            if (problem != null) {
                throw new IllegalArgumentException("Invalid value '" + value + "' for " + rdn.attribute()
                        + " in the subject name format '" + format + "'. " + rdn.attribute() + " " + problem
                        + ". Correct the user or device attribute, or change the format.");
            }
            rendered.add(new RenderedRdn(rdn.attribute(), value));
        }
        return rendered;
    }

    /**
     * Escapes an attribute value for an RFC 4514 string: {@code " + , ; < > \} anywhere, '#' at the start, a space
     * at either end, and NUL as {@code \00}. It also escapes '=', which RFC 4514 allows but does not require, so
     * that parsers that split on every '=' read the value correctly.
     */
    static String escapeValue(String value) {
        StringBuilder escaped = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean first = i == 0;
            boolean last = i == value.length() - 1;
            if (c == '\0') {
                escaped.append("\\00");
            } else if ("\"+,;<>\\=".indexOf(c) >= 0 || (c == '#' && first) || (c == ' ' && (first || last))) {
                escaped.append('\\').append(c);
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SubjectNameFormat that && format.equals(that.format);
    }

    @Override
    public int hashCode() {
        return format.hashCode();
    }

    @Override
    public String toString() {
        return format;
    }
}
