package io.smimedelivery.scep;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SanTemplateTest {

    @Test
    void validTemplatesForEveryType() {
        assertDoesNotThrow(() -> SanTemplate.parse(SanType.EMAIL, "{{EmailAddress}}"));
        assertDoesNotThrow(() -> SanTemplate.parse(SanType.EMAIL, "{{UserName}}@contoso.com"));
        assertDoesNotThrow(() -> SanTemplate.parse(SanType.EMAIL, "smime@contoso.com"));
        assertDoesNotThrow(() -> SanTemplate.parse(SanType.UPN, "{{UserPrincipalName}}"));
        assertDoesNotThrow(() -> SanTemplate.parse(SanType.UPN, "{{UserName}}@contoso.local"));
        assertDoesNotThrow(() -> SanTemplate.parse(SanType.URI, "urn:device:{{DeviceId}}"));
        assertDoesNotThrow(() -> SanTemplate.parse(SanType.URI, "https://contoso.com/users/{{UserName}}"));
        assertDoesNotThrow(() -> SanTemplate.parse(SanType.DNS, "{{DeviceName}}.devices.contoso.com"));
        assertDoesNotThrow(() -> SanTemplate.parse(SanType.DNS, "{{SerialNumber}}-{{DeviceId}}.contoso.com"));
        assertDoesNotThrow(() -> SanTemplate.parse(SanType.DNS, "localhost"));
    }

    @Test
    void parseKeepsTypeAndTemplate() {
        SanTemplate san = SanTemplate.parse(SanType.EMAIL, "{{UserName}}@contoso.com");

        assertEquals(SanType.EMAIL, san.type());
        assertEquals("{{UserName}}@contoso.com", san.valueTemplate());
        assertEquals(Set.of(SubjectVariable.USER_NAME), san.variables());
    }

    @Test
    void constructorValidatesLikeParse() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> new SanTemplate(SanType.URI, "not a uri"));

        assertEquals(3, error.position());
    }

    @Test
    void templateSyntaxErrorsKeepPosition() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> SanTemplate.parse(SanType.EMAIL, "x@{{Foo}}"));

        assertEquals(2, error.position());
        assertTrue(error.getMessage().startsWith("Unknown variable {{Foo}} at position 2."), error.getMessage());
    }

    @Test
    void emptyValueRejected() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> SanTemplate.parse(SanType.DNS, ""));

        assertEquals(0, error.position());
        assertTrue(error.getMessage().contains("empty"), error.getMessage());
    }

    @Test
    void emailWithoutAtRejected() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> SanTemplate.parse(SanType.EMAIL, "{{UserName}}"));

        assertEquals(0, error.position());
        assertTrue(error.getMessage().startsWith("Invalid EMAIL value at position 0."), error.getMessage());
        assertTrue(error.getMessage().contains("'@'"), error.getMessage());
        assertTrue(error.getMessage().contains("becomes 'user'"), error.getMessage());
    }

    @Test
    void emailSecondAtReportsPosition() {
        TemplateSyntaxException afterVariable = assertThrows(TemplateSyntaxException.class,
                () -> SanTemplate.parse(SanType.EMAIL, "{{EmailAddress}}@contoso.com"));
        TemplateSyntaxException staticText = assertThrows(TemplateSyntaxException.class,
                () -> SanTemplate.parse(SanType.EMAIL, "a@b@c.com"));

        assertEquals(16, afterVariable.position());
        assertTrue(afterVariable.getMessage().contains("exactly one '@'"), afterVariable.getMessage());
        assertEquals(3, staticText.position());
    }

    @Test
    void emailEmptyPartsRejected() {
        assertEquals(12, assertThrows(TemplateSyntaxException.class,
                () -> SanTemplate.parse(SanType.EMAIL, "{{UserName}}@")).position());
        assertEquals(0, assertThrows(TemplateSyntaxException.class,
                () -> SanTemplate.parse(SanType.EMAIL, "@contoso.com")).position());
    }

    @Test
    void emailWhitespaceRejected() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> SanTemplate.parse(SanType.EMAIL, "{{UserName}} @contoso.com"));

        assertEquals(12, error.position());
        assertTrue(error.getMessage().contains("whitespace"), error.getMessage());
    }

    @Test
    void upnWithoutAtRejected() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> SanTemplate.parse(SanType.UPN, "{{DeviceId}}"));

        assertEquals(0, error.position());
        assertTrue(error.getMessage().contains("A user principal name must contain '@'"), error.getMessage());
    }

    @Test
    void relativeUriRejected() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> SanTemplate.parse(SanType.URI, "/users/{{UserName}}"));

        assertEquals(0, error.position());
        assertTrue(error.getMessage().contains("absolute URI"), error.getMessage());
    }

    @Test
    void uriSyntaxErrorReportsPosition() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> SanTemplate.parse(SanType.URI, "https://contoso.com/a b"));

        assertEquals(21, error.position());
        assertTrue(error.getMessage().contains("not a valid URI"), error.getMessage());
    }

    @Test
    void dnsInvalidCharacterReportsPosition() {
        TemplateSyntaxException underscore = assertThrows(TemplateSyntaxException.class,
                () -> SanTemplate.parse(SanType.DNS, "dev_ice.contoso.com"));
        TemplateSyntaxException emailVariable = assertThrows(TemplateSyntaxException.class,
                () -> SanTemplate.parse(SanType.DNS, "x.{{EmailAddress}}"));
        TemplateSyntaxException wildcard = assertThrows(TemplateSyntaxException.class,
                () -> SanTemplate.parse(SanType.DNS, "*.contoso.com"));

        assertEquals(3, underscore.position());
        assertTrue(underscore.getMessage().contains("'_'"), underscore.getMessage());
        assertEquals(2, emailVariable.position());
        assertEquals(0, wildcard.position());
    }

    @Test
    void dnsEmptyLabelRejected() {
        assertEquals(2, assertThrows(TemplateSyntaxException.class,
                () -> SanTemplate.parse(SanType.DNS, "a..b")).position());
        assertEquals(0, assertThrows(TemplateSyntaxException.class,
                () -> SanTemplate.parse(SanType.DNS, ".a")).position());
        assertEquals(7, assertThrows(TemplateSyntaxException.class,
                () -> SanTemplate.parse(SanType.DNS, "contoso.")).position());
    }

    @Test
    void dnsHyphenAtLabelEdgeRejected() {
        assertEquals(0, assertThrows(TemplateSyntaxException.class,
                () -> SanTemplate.parse(SanType.DNS, "-a.contoso.com")).position());
        assertEquals(2, assertThrows(TemplateSyntaxException.class,
                () -> SanTemplate.parse(SanType.DNS, "ab-.contoso.com")).position());
        assertDoesNotThrow(() -> SanTemplate.parse(SanType.DNS, "a-b.contoso.com"));
    }

    @Test
    void dnsLengthLimits() {
        String label63 = "a".repeat(63);
        String name253 = String.join(".", label63, label63, label63, "a".repeat(61));

        assertDoesNotThrow(() -> SanTemplate.parse(SanType.DNS, label63 + ".com"));
        assertEquals(4, assertThrows(TemplateSyntaxException.class,
                () -> SanTemplate.parse(SanType.DNS, "www." + label63 + "a.com")).position());
        assertEquals(253, name253.length());
        assertDoesNotThrow(() -> SanTemplate.parse(SanType.DNS, name253));
        assertTrue(assertThrows(TemplateSyntaxException.class,
                () -> SanTemplate.parse(SanType.DNS, name253 + "a")).getMessage().contains("253"));
    }

    @Test
    void renderSubstitutesValues() {
        SanTemplate san = SanTemplate.parse(SanType.DNS, "{{DeviceName}}.devices.contoso.com");

        assertEquals("iphone-15.devices.contoso.com", san.render(Map.of(SubjectVariable.DEVICE_NAME, "iphone-15")));
    }

    @Test
    void renderChecksShapeOfRealValues() {
        SanTemplate san = SanTemplate.parse(SanType.DNS, "{{DeviceName}}.devices.contoso.com");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> san.render(Map.of(SubjectVariable.DEVICE_NAME, "Mario's iPhone")));

        assertTrue(error.getMessage().contains("'Mario's iPhone.devices.contoso.com'"), error.getMessage());
        assertTrue(error.getMessage().contains("'''"), error.getMessage());
    }

    @Test
    void renderMissingValueRejected() {
        SanTemplate san = SanTemplate.parse(SanType.EMAIL, "{{EmailAddress}}");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> san.render(Map.of()));

        assertTrue(error.getMessage().contains("{{EmailAddress}}"), error.getMessage());
    }
}
