package io.smimedelivery.scep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class CertificateTemplateTest {

    @Test
    void staticTextHasNoVariables() {
        CertificateTemplate template = CertificateTemplate.parse("OU=Mobile,O=Contoso");

        assertEquals(Set.of(), template.variables());
        assertEquals("OU=Mobile,O=Contoso", template.render(Map.of()));
    }

    @Test
    void variablesInOrderOfFirstAppearance() {
        CertificateTemplate template = CertificateTemplate.parse("{{DeviceName}}-{{UserName}}.{{DeviceName}}");

        assertEquals(List.of(SubjectVariable.DEVICE_NAME, SubjectVariable.USER_NAME),
                List.copyOf(template.variables()));
    }

    @Test
    void renderSubstitutesEveryPlaceholder() {
        CertificateTemplate template = CertificateTemplate.parse("{{UserName}}@{{DeviceName}}/{{UserName}}");

        String rendered = template.render(Map.of(
                SubjectVariable.USER_NAME, "mrossi",
                SubjectVariable.DEVICE_NAME, "iPhone 15"));

        assertEquals("mrossi@iPhone 15/mrossi", rendered);
    }

    @Test
    void renderInsertsValuesVerbatim() {
        CertificateTemplate template = CertificateTemplate.parse("CN={{UserName}}");

        assertEquals("CN=Rossi, {{Mario}}", template.render(Map.of(SubjectVariable.USER_NAME, "Rossi, {{Mario}}")));
    }

    @Test
    void renderMissingValueNamesVariable() {
        CertificateTemplate template = CertificateTemplate.parse("{{UserName}}.{{DeviceId}}");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> template.render(Map.of(SubjectVariable.USER_NAME, "mrossi")));

        assertTrue(error.getMessage().contains("{{DeviceId}}"), error.getMessage());
    }

    @Test
    void renderNullValueCountsAsMissing() {
        CertificateTemplate template = CertificateTemplate.parse("{{UserName}}");
        Map<SubjectVariable, String> values = new HashMap<>();
        values.put(SubjectVariable.USER_NAME, null);

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> template.render(values));

        assertTrue(error.getMessage().contains("{{UserName}}"), error.getMessage());
    }

    @Test
    void unknownVariableReportsPosition() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> CertificateTemplate.parse("CN={{Foo}}"));

        assertEquals(3, error.position());
        assertTrue(error.getMessage().startsWith("Unknown variable {{Foo}} at position 3."), error.getMessage());
        assertTrue(error.getMessage().contains("{{UserPrincipalName}}"), error.getMessage());
        assertTrue(error.getMessage().contains("{{DeviceName}}"), error.getMessage());
    }

    @Test
    void wrongCaseSuggestsVariable() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> CertificateTemplate.parse("E={{emailaddress}}"));

        assertEquals(2, error.position());
        assertTrue(error.getMessage().contains("case-sensitive"), error.getMessage());
        assertTrue(error.getMessage().contains("write {{EmailAddress}}"), error.getMessage());
    }

    @Test
    void spacesInsideBracesSuggestVariable() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> CertificateTemplate.parse("{{ UserName }}"));

        assertEquals(0, error.position());
        assertTrue(error.getMessage().contains("write {{UserName}}"), error.getMessage());
    }

    @Test
    void emptyVariableReportsPosition() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> CertificateTemplate.parse("CN=a{{}}"));

        assertEquals(4, error.position());
        assertTrue(error.getMessage().startsWith("Empty variable {{}} at position 4."), error.getMessage());
    }

    @Test
    void unclosedVariableReportsOpeningPosition() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> CertificateTemplate.parse("CN=x,E={{EmailAddress"));

        assertEquals(7, error.position());
        assertTrue(error.getMessage().startsWith("Unclosed variable at position 7."), error.getMessage());
        assertTrue(error.getMessage().contains("}}"), error.getMessage());
    }

    @Test
    void strayCloseReportsPosition() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> CertificateTemplate.parse("CN=x}}"));

        assertEquals(4, error.position());
        assertTrue(error.getMessage().startsWith("Unexpected }} at position 4"), error.getMessage());
    }

    @Test
    void nestedVariableReportsInnerBrace() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> CertificateTemplate.parse("{{User{{Name}}}}"));

        assertEquals(6, error.position());
        assertTrue(error.getMessage().contains("position 6"), error.getMessage());
        assertTrue(error.getMessage().contains("starts at position 0"), error.getMessage());
    }

    @Test
    void singleBraceInsideVariableRejected() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> CertificateTemplate.parse("{{User}Name}}"));

        assertEquals(6, error.position());
    }

    @Test
    void tripleOpeningBraceRejected() {
        TemplateSyntaxException error = assertThrows(TemplateSyntaxException.class,
                () -> CertificateTemplate.parse("{{{UserName}}}"));

        assertEquals(2, error.position());
    }

    @Test
    void singleBracesOutsideVariablesAreStatic() {
        CertificateTemplate template = CertificateTemplate.parse("a{b}c {{UserName}}");

        assertEquals("a{b}c x", template.render(Map.of(SubjectVariable.USER_NAME, "x")));
    }

    @Test
    void equalTemplatesHaveEqualText() {
        assertEquals(CertificateTemplate.parse("{{UserName}}"), CertificateTemplate.parse("{{UserName}}"));
        assertEquals("{{UserName}}", CertificateTemplate.parse("{{UserName}}").template());
    }
}
