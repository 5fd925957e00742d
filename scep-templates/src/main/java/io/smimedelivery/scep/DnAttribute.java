package io.smimedelivery.scep;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Attribute type allowed in a subject name format, with the ASN.1 string type that RFC 5280 gives its value:
 * IA5String for emailAddress and domainComponent, PrintableString for countryName and serialNumber, UTF8String
 * for the others.
 */
enum DnAttribute {
    CN(BCStyle.CN, StringType.UTF8),
    E(BCStyle.EmailAddress, StringType.IA5),
    OU(BCStyle.OU, StringType.UTF8),
    O(BCStyle.O, StringType.UTF8),
    L(BCStyle.L, StringType.UTF8),
    ST(BCStyle.ST, StringType.UTF8),
    C(BCStyle.C, StringType.PRINTABLE),
    SERIALNUMBER(BCStyle.SERIALNUMBER, StringType.PRINTABLE),
    UID(BCStyle.UID, StringType.UTF8),
    DC(BCStyle.DC, StringType.IA5),
    STREET(BCStyle.STREET, StringType.UTF8),
    POSTALCODE(BCStyle.POSTAL_CODE, StringType.UTF8);

    private final ASN1ObjectIdentifier oid;
    private final StringType stringType;

    DnAttribute(ASN1ObjectIdentifier oid, StringType stringType) {
        this.oid = oid;
        this.stringType = stringType;
    }

    ASN1ObjectIdentifier oid() {
        return oid;
    }

    /** Finds the attribute whose short name equals {@code name}, ignoring case. */
    static Optional<DnAttribute> fromName(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(attribute -> attribute.name().equals(upper)).findFirst();
    }

    static String allNames() {
        return Arrays.stream(values()).map(DnAttribute::name).collect(Collectors.joining(", "));
    }

    /** Returns null when {@code value} fits the ASN.1 string type, otherwise a description of the allowed characters. */
    String checkCharacters(String value) {
        return switch (stringType) {
            case UTF8 -> null;
            case IA5 -> value.chars().allMatch(c -> c < 0x80) ? null : "only ASCII characters";
            case PRINTABLE -> DERPrintableString.isPrintableString(value)
                    ? null
                    : "only letters, digits, spaces and the characters ' ( ) + , - . / : = ?";
        };
    }

    /** Encodes {@code value}, which must have passed {@link #checkCharacters(String)}. */
    ASN1Encodable encode(String value) {
        return switch (stringType) {
            case UTF8 -> new DERUTF8String(value);
            case IA5 -> new DERIA5String(value, true);
            case PRINTABLE -> new DERPrintableString(value, true);
        };
    }

    private enum StringType {
        UTF8, IA5, PRINTABLE
    }
}
