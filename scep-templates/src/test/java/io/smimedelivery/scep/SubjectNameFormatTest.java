package io.smimedelivery.scep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;

class SubjectNameFormatTest {

    private static final String INTUNE_STYLE = "CN={{UserName}},E={{EmailAddress}},OU=Mobile,O=Contoso Italia,C=IT";
    private static final Map<SubjectVariable, String> USER = Map.of(
            SubjectVariable.USER_NAME, "mrossi",
            SubjectVariable.EMAIL_ADDRESS, "mario.rossi@contoso.it");

    @Test
    void intuneStyleFormatRenders() {
        SubjectNameFormat format = SubjectNameFormat.parse(INTUNE_STYLE);

        assertEquals(Set.of(SubjectVariable.USER_NAME, SubjectVariable.EMAIL_ADDRESS), format.variables());
        assertEquals("CN=mrossi,E=mario.rossi@contoso.it,OU=Mobile,O=Contoso Italia,C=IT", format.render(USER));
    }

    @Test
    void x500NameEncodesLastRdnFirst() {
        X500Name name = SubjectNameFormat.parse(INTUNE_STYLE).toX500Name(USER);
        RDN[] rdns = name.getRDNs();

        assertEquals(5, rdns.length);
        assertEquals(BCStyle.C, rdns[0].getFirst().getType());
        assertEquals(BCStyle.O, rdns[1].getFirst().getType());
        assertEquals(BCStyle.OU, rdns[2].getFirst().getType());
        assertEquals(BCStyle.EmailAddress, rdns[3].getFirst().getType());
        assertEquals(BCStyle.CN, rdns[4].getFirst().getType());
    }

    @Test
    void x500NameUsesRfc5280StringTypes() {
        RDN[] rdns = SubjectNameFormat.parse(INTUNE_STYLE).toX500Name(USER).getRDNs();

        assertInstanceOf(DERPrintableString.class, rdns[0].getFirst().getValue());
        assertInstanceOf(DERUTF8String.class, rdns[1].getFirst().getValue());
        assertInstanceOf(DERIA5String.class, rdns[3].getFirst().getValue());
        assertInstanceOf(DERUTF8String.class, rdns[4].getFirst().getValue());
        assertEquals("mario.rossi@contoso.it", text(rdns[3].getFirst().getValue()));
    }

    @Test
    void everyAttributeTypeAnyCase() {
        SubjectNameFormat format = SubjectNameFormat.parse("cn=a,e=b@c.it,ou=x,o=y,l=Milano,st=MI,c=it,"
                + "serialnumber=F2L1,uid=u1,dc=contoso,street=Via Roma 1,postalcode=20100");
        RDN[] rdns = format.toX500Name(Map.of()).getRDNs();

        assertEquals(12, rdns.length);
        ASN1ObjectIdentifier[] expected = {BCStyle.POSTAL_CODE, BCStyle.STREET, BCStyle.DC, BCStyle.UID,
                BCStyle.SERIALNUMBER, BCStyle.C, BCStyle.ST, BCStyle.L, BCStyle.O, BCStyle.OU, BCStyle.EmailAddress,
                BCStyle.CN};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], rdns[i].getFirst().getType(), "RDN " + i);
        }
        assertTrue(format.render(Map.of()).startsWith("CN=a,E=b@c.it,OU=x,"), format.render(Map.of()));
    }

    @Test
    void displayNameWithCommaEscaped() {
        SubjectNameFormat format = SubjectNameFormat.parse("CN={{UserName}},O=Contoso");
        Map<SubjectVariable, String> values = Map.of(SubjectVariable.USER_NAME, "Rossi, Mario");

        String rendered = format.render(values);
        X500Name name = format.toX500Name(values);

        assertEquals("CN=Rossi\\, Mario,O=Contoso", rendered);
        assertEquals(2, name.getRDNs().length);
        assertEquals("Rossi, Mario", text(name.getRDNs(BCStyle.CN)[0].getFirst().getValue()));
        assertSameRdnsReversed(name, new X500Name(BCStyle.INSTANCE, rendered));
    }

    @Test
    void specialCharactersRoundTripThroughBouncyCastle() {
        SubjectNameFormat format = SubjectNameFormat.parse("CN={{UserName}},OU={{DeviceName}},O=Contoso");
        String userName = "#1 \"Mario\" <m+r>; a=b\\c ";
        String deviceName = " Mario's iPhone";
        Map<SubjectVariable, String> values = Map.of(
                SubjectVariable.USER_NAME, userName,
                SubjectVariable.DEVICE_NAME, deviceName);

        String rendered = format.render(values);
        X500Name parsedByBouncyCastle = new X500Name(BCStyle.INSTANCE, rendered);

        assertEquals("CN=\\#1 \\\"Mario\\\" \\<m\\+r\\>\\; a\\=b\\\\c\\ ,OU=\\ Mario's iPhone,O=Contoso", rendered);
        assertEquals(3, parsedByBouncyCastle.getRDNs().length);
        assertEquals(userName, valueOf(parsedByBouncyCastle, BCStyle.CN));
        assertEquals(deviceName, valueOf(parsedByBouncyCastle, BCStyle.OU));
        assertSameRdnsReversed(format.toX500Name(values), parsedByBouncyCastle);
    }

    @Test
    void escapedStaticTextUnescaped() {
        SubjectNameFormat format = SubjectNameFormat.parse("CN=Rossi\\, Mario,O=A\\+B,OU=\\#hash,L=Caf\\C3\\A9");
        X500Name name = format.toX500Name(Map.of());

        assertEquals("Rossi, Mario", valueOf(name, BCStyle.CN));
        assertEquals("A+B", valueOf(name, BCStyle.O));
        assertEquals("#hash", valueOf(name, BCStyle.OU));
        assertEquals("Café", valueOf(name, BCStyle.L));
        assertEquals("CN=Rossi\\, Mario,O=A\\+B,OU=\\#hash,L=Café", format.render(Map.of()));
    }

    @Test
    void spacesAroundTypesAndValuesIgnored() {
        SubjectNameFormat format = SubjectNameFormat.parse(" CN = {{UserName}} , O = Contoso Italia ");

        assertEquals("CN=mrossi,O=Contoso Italia", format.render(USER));
    }

    @Test
    void escapedTrailingSpaceKept() {
        SubjectNameFormat format = SubjectNameFormat.parse("CN=a\\ ,O=b");

        assertEquals("a ", valueOf(format.toX500Name(Map.of()), BCStyle.CN));
    }

    @Test
    void unknownVariableAtPositionThree() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> SubjectNameFormat.parse("CN={{Foo}}"));

        assertEquals(3, error.position());
        assertTrue(error.getMessage().contains("{{Foo}}"), error.getMessage());
    }

    @Test
    void unknownAttributeTypeReportsPosition() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> SubjectNameFormat.parse("CN=a,XX=b"));

        assertEquals(5, error.position());
        assertTrue(error.getMessage().startsWith("Unknown attribute type 'XX' at position 5."), error.getMessage());
        assertTrue(error.getMessage().contains("POSTALCODE"), error.getMessage());
    }

    @Test
    void rdnWithoutEqualsReportsPosition() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> SubjectNameFormat.parse("CN=a, Mobile ,O=b"));

        assertEquals(6, error.position());
        assertTrue(error.getMessage().contains("'Mobile'"), error.getMessage());
        assertTrue(error.getMessage().contains("has no '='"), error.getMessage());
    }

    @Test
    void missingAttributeTypeRejected() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> SubjectNameFormat.parse("CN=a,=b"));

        assertEquals(5, error.position());
        assertTrue(error.getMessage().startsWith("Missing attribute type"), error.getMessage());
    }

    @Test
    void variableInAttributeTypeRejected() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> SubjectNameFormat.parse("CN=a,{{UserName}}=b"));

        assertEquals(5, error.position());
        assertTrue(error.getMessage().contains("attribute type"), error.getMessage());
    }

    @Test
    void emptyValueReportsRdnPosition() {
        TemplateSyntaxException first = assertThrows(TemplateSyntaxException.class,
                () -> SubjectNameFormat.parse("CN=,O=x"));
        TemplateSyntaxException last = assertThrows(TemplateSyntaxException.class,
                () -> SubjectNameFormat.parse("CN=a,O=  "));

        assertEquals(0, first.position());
        assertTrue(first.getMessage().startsWith("Empty value for CN at position 0."), first.getMessage());
        assertEquals(5, last.position());
    }

    @Test
    void emptyFormatNeedsOneRdn() {
        TemplateSyntaxException empty = assertThrows(TemplateSyntaxException.class,
                () -> SubjectNameFormat.parse(""));
        TemplateSyntaxException blank = assertThrows(TemplateSyntaxException.class,
                () -> SubjectNameFormat.parse("   "));

        assertEquals(0, empty.position());
        assertTrue(empty.getMessage().contains("at least one RDN"), empty.getMessage());
        assertEquals(0, blank.position());
    }

    @Test
    void extraCommasReportPosition() {
        assertEquals(4, assertThrows(TemplateSyntaxException.class,
                () -> SubjectNameFormat.parse("CN=a,")).position());
        assertEquals(4, assertThrows(TemplateSyntaxException.class,
                () -> SubjectNameFormat.parse("CN=a,,O=b")).position());
        assertEquals(0, assertThrows(TemplateSyntaxException.class,
                () -> SubjectNameFormat.parse(",CN=a")).position());
    }

    @Test
    void countryMustBeTwoLetters() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> SubjectNameFormat.parse("CN=a,C=ITA"));

        assertEquals(7, error.position());
        assertTrue(error.getMessage().startsWith("Invalid value 'ITA' for C at position 7."), error.getMessage());
        assertTrue(error.getMessage().contains("two-letter"), error.getMessage());
    }

    @Test
    void countryRejectsDigits() {
        assertEquals(7, assertThrows(TemplateSyntaxException.class,
                () -> SubjectNameFormat.parse("CN=a,C=I1")).position());
    }

    @Test
    void countryFromVariableRejectedWithSample() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> SubjectNameFormat.parse("CN=a,C={{UserName}}"));

        assertEquals(7, error.position());
        assertTrue(error.getMessage().contains("{{UserName}}"), error.getMessage());
        assertTrue(error.getMessage().contains("sample values"), error.getMessage());
    }

    @Test
    void serialNumberFromEmailRejected() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> SubjectNameFormat.parse("CN=a,SERIALNUMBER={{EmailAddress}}"));

        assertEquals(18, error.position());
        assertTrue(error.getMessage().contains("SERIALNUMBER must contain only letters"), error.getMessage());
    }

    @Test
    void staticEmailMustBeAscii() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> SubjectNameFormat.parse("CN=a,E=mè@contoso.it"));

        assertEquals(7, error.position());
        assertTrue(error.getMessage().contains("ASCII"), error.getMessage());
    }

    @Test
    void unescapedPlusRejected() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> SubjectNameFormat.parse("CN=a+b"));

        assertEquals(4, error.position());
        assertTrue(error.getMessage().contains("\\+"), error.getMessage());
    }

    @Test
    void missingCommaSuggested() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> SubjectNameFormat.parse("CN=a O=b"));

        assertEquals(6, error.position());
        assertTrue(error.getMessage().contains("missing comma"), error.getMessage());
    }

    @Test
    void otherUnescapedSpecialsRejected() {
        assertEquals(4, assertThrows(TemplateSyntaxException.class,
                () -> SubjectNameFormat.parse("CN=a;O=b")).position());
        assertEquals(4, assertThrows(TemplateSyntaxException.class,
                () -> SubjectNameFormat.parse("CN=a\"b\"")).position());
        assertEquals(5, assertThrows(TemplateSyntaxException.class,
                () -> SubjectNameFormat.parse("CN=ab<c>")).position());
        assertEquals(3, assertThrows(TemplateSyntaxException.class,
                () -> SubjectNameFormat.parse("CN=#abc")).position());
    }

    @Test
    void invalidEscapesRejected() {
        TemplateSyntaxException unknown = assertThrows(TemplateSyntaxException.class,
                () -> SubjectNameFormat.parse("CN=a\\q"));
        TemplateSyntaxException incomplete = assertThrows(TemplateSyntaxException.class,
                () -> SubjectNameFormat.parse("CN=a\\"));
        TemplateSyntaxException beforeVariable = assertThrows(TemplateSyntaxException.class,
                () -> SubjectNameFormat.parse("CN=a\\{{UserName}}"));
        TemplateSyntaxException invalidUtf8 = assertThrows(TemplateSyntaxException.class,
                () -> SubjectNameFormat.parse("CN=\\FF"));

        assertEquals(4, unknown.position());
        assertTrue(unknown.getMessage().startsWith("Invalid escape '\\q' at position 4."), unknown.getMessage());
        assertEquals(4, incomplete.position());
        assertEquals(4, beforeVariable.position());
        assertEquals(3, invalidUtf8.position());
        assertTrue(invalidUtf8.getMessage().contains("UTF-8"), invalidUtf8.getMessage());
    }

    @Test
    void renderMissingValueRejected() {
        SubjectNameFormat format = SubjectNameFormat.parse(INTUNE_STYLE);

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> format.render(Map.of(SubjectVariable.USER_NAME, "mrossi")));

        assertTrue(error.getMessage().contains("{{EmailAddress}}"), error.getMessage());
    }

    @Test
    void renderBlankValueRejected() {
        SubjectNameFormat format = SubjectNameFormat.parse(INTUNE_STYLE);
        Map<SubjectVariable, String> values = Map.of(
                SubjectVariable.USER_NAME, "mrossi",
                SubjectVariable.EMAIL_ADDRESS, " ");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> format.toX500Name(values));

        assertTrue(error.getMessage().contains("for E"), error.getMessage());
        assertTrue(error.getMessage().contains("must not be empty"), error.getMessage());
    }

    @Test
    void renderNonAsciiEmailRejected() {
        SubjectNameFormat format = SubjectNameFormat.parse(INTUNE_STYLE);
        Map<SubjectVariable, String> values = Map.of(
                SubjectVariable.USER_NAME, "mrossi",
                SubjectVariable.EMAIL_ADDRESS, "màrio@contoso.it");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> format.render(values));

        assertTrue(error.getMessage().contains("'màrio@contoso.it'"), error.getMessage());
        assertTrue(error.getMessage().contains("ASCII"), error.getMessage());
    }

    private static String valueOf(X500Name name, ASN1ObjectIdentifier type) {
        RDN[] rdns = name.getRDNs(type);
        assertEquals(1, rdns.length, "RDNs of type " + type);
        return text(rdns[0].getFirst().getValue());
    }

    private static String text(ASN1Encodable value) {
        return assertInstanceOf(ASN1String.class, value).getString();
    }

    /** Checks that {@code reversed} has the RDNs of {@code expected} in reverse order, with equal values. */
    private static void assertSameRdnsReversed(X500Name expected, X500Name reversed) {
        RDN[] expectedRdns = expected.getRDNs();
        RDN[] reversedRdns = reversed.getRDNs();
        assertEquals(expectedRdns.length, reversedRdns.length);
        for (int i = 0; i < expectedRdns.length; i++) {
            RDN actual = reversedRdns[reversedRdns.length - 1 - i];
            assertEquals(expectedRdns[i].getFirst().getType(), actual.getFirst().getType(), "type of RDN " + i);
            assertEquals(text(expectedRdns[i].getFirst().getValue()),
                    text(actual.getFirst().getValue()), "value of RDN " + i);
        }
    }
}
