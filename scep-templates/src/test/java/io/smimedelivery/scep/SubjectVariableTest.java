package io.smimedelivery.scep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SubjectVariableTest {

    @Test
    void templateNamesInDeclarationOrder() {
        List<String> names = List.of("UserPrincipalName", "EmailAddress", "UserName", "DeviceId", "SerialNumber",
                "DeviceName");
        for (int i = 0; i < names.size(); i++) {
            assertEquals(names.get(i), SubjectVariable.values()[i].templateName());
        }
        assertEquals(names.size(), SubjectVariable.values().length);
    }

    @Test
    void fromTemplateNameFindsEveryVariable() {
        for (SubjectVariable variable : SubjectVariable.values()) {
            assertEquals(Optional.of(variable), SubjectVariable.fromTemplateName(variable.templateName()));
        }
    }

    @Test
    void fromTemplateNameIsCaseSensitive() {
        assertTrue(SubjectVariable.fromTemplateName("username").isEmpty());
        assertTrue(SubjectVariable.fromTemplateName("USERNAME").isEmpty());
        assertTrue(SubjectVariable.fromTemplateName(" UserName").isEmpty());
        assertTrue(SubjectVariable.fromTemplateName("").isEmpty());
        assertTrue(SubjectVariable.fromTemplateName(null).isEmpty());
    }

    @Test
    void placeholderWrapsNameInDoubleBraces() {
        assertEquals("{{UserPrincipalName}}", SubjectVariable.USER_PRINCIPAL_NAME.placeholder());
        assertEquals("{{DeviceId}}", SubjectVariable.DEVICE_ID.placeholder());
    }
}
