package io.smimedelivery.policy.scep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import io.smimedelivery.common.problem.FieldError;
import io.smimedelivery.policy.scep.ScepProfileSpec.SanSpec;
import io.smimedelivery.scep.SanType;

import org.junit.jupiter.api.Test;

class ScepProfileValidatorTest {

    private static final String EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";

    /** Mutable copy of a valid profile, so each test changes only the field it checks. */
    private static final class Spec {
        String name = "S/MIME Contoso Italia";
        String certificateType = "user";
        String subjectNameFormat = "CN={{UserName}},E={{EmailAddress}},OU=Mobile,O=Contoso Italia,C=IT";
        List<SanSpec> subjectAlternativeNames = List.of(
                new SanSpec(SanType.EMAIL, "{{EmailAddress}}"),
                new SanSpec(SanType.UPN, "{{UserPrincipalName}}"),
                new SanSpec(SanType.URI, "urn:device:{{DeviceId}}"),
                new SanSpec(SanType.DNS, "{{DeviceName}}.devices.contoso.com"));
        Integer keySize = 2048;
        Set<KeyUsageOption> keyUsages = EnumSet.allOf(KeyUsageOption.class);
        Integer validityMonths = 12;
        List<String> extendedKeyUsages = List.of("emailProtection", "clientAuth");
        Integer renewalThresholdPercent = 20;
        String rootProfileId = "7d9f7b1e-3f1a-4c55-9d55-4a0c6f2b9e10";

        ScepProfileSpec build() {
            return new ScepProfileSpec(name, certificateType, subjectNameFormat, subjectAlternativeNames, keySize,
                    keyUsages, validityMonths, extendedKeyUsages, renewalThresholdPercent, rootProfileId);
        }
    }

    private static List<FieldError> validate(UnaryOperator<Spec> change) {
        return ScepProfileValidator.validate(change.apply(new Spec()).build());
    }

    /** Returns the only error, failing with the full list when there is not exactly one. */
    private static FieldError onlyError(List<FieldError> errors) {
        assertEquals(1, errors.size(), () -> "errors: " + errors);
        return errors.get(0);
    }

    @Test
    void validProfileHasNoErrors() {
        assertEquals(List.of(), validate(spec -> spec));
    }

    @Test
    void minimalValidProfileHasNoErrors() {
        List<FieldError> errors = validate(spec -> {
            spec.certificateType = "USER";
            spec.subjectNameFormat = "CN={{UserName}}";
            spec.subjectAlternativeNames = null;
            spec.keySize = 4096;
            spec.keyUsages = Set.of(KeyUsageOption.DIGITAL_SIGNATURE);
            spec.extendedKeyUsages = List.of(EMAIL_PROTECTION);
            return spec;
        });

        assertEquals(List.of(), errors);
    }

    @Test
    void allMissingFieldsReported() {
        ScepProfileSpec empty = new ScepProfileSpec(null, null, null, null, null, null, null, null, null, null);

        List<FieldError> errors = ScepProfileValidator.validate(empty);

        List<String> fields = errors.stream().map(FieldError::field).collect(Collectors.toList());
        assertEquals(List.of("name", "certificateType", "subjectNameFormat", "keySize", "keyUsages",
                "validityMonths", "extendedKeyUsages", "renewalThresholdPercent", "rootProfileId"), fields);
        for (FieldError error : errors) {
            assertNull(error.value(), error.field());
            assertTrue(error.message().contains("required"), error.message());
        }
    }

    @Test
    void nameBlankRejected() {
        FieldError error = onlyError(validate(spec -> {
            spec.name = "  ";
            return spec;
        }));

        assertEquals("name", error.field());
        assertEquals("  ", error.value());
    }

    @Test
    void nameLengthLimit() {
        String longest = "n".repeat(200);
        assertEquals(List.of(), validate(spec -> {
            spec.name = longest;
            return spec;
        }));

        FieldError error = onlyError(validate(spec -> {
            spec.name = longest + "x";
            return spec;
        }));

        assertEquals("name", error.field());
        assertTrue(error.message().contains("201 characters"), error.message());
        assertTrue(error.message().contains("at most 200"), error.message());
    }

    @Test
    void deviceCertificateTypeRejected() {
        FieldError error = onlyError(validate(spec -> {
            spec.certificateType = "device";
            return spec;
        }));

        assertEquals("certificateType", error.field());
        assertEquals("device", error.value());
        assertTrue(error.message().startsWith("Device certificates are not supported for S/MIME"), error.message());
        assertTrue(error.message().contains("Set certificateType to user"), error.message());
    }

    @Test
    void unknownCertificateTypeRejected() {
        FieldError error = onlyError(validate(spec -> {
            spec.certificateType = "machine";
            return spec;
        }));

        assertEquals("certificateType", error.field());
        assertTrue(error.message().contains("'machine'"), error.message());
    }

    @Test
    void invalidSubjectNameFormatIncludesPosition() {
        FieldError error = onlyError(validate(spec -> {
            spec.subjectNameFormat = "CN={{Foo}}";
            return spec;
        }));

        assertEquals("subjectNameFormat", error.field());
        assertEquals("CN={{Foo}}", error.value());
        assertTrue(error.message().contains("Unknown variable {{Foo}} at position 3"), error.message());
    }

    @Test
    void emptySanListAccepted() {
        assertEquals(List.of(), validate(spec -> {
            spec.subjectAlternativeNames = List.of();
            return spec;
        }));
    }

    @Test
    void invalidSanValueNamesIndex() {
        FieldError error = onlyError(validate(spec -> {
            spec.subjectAlternativeNames = List.of(
                    new SanSpec(SanType.EMAIL, "{{EmailAddress}}"),
                    new SanSpec(SanType.EMAIL, "{{UserName}}"));
            return spec;
        }));

        assertEquals("subjectAlternativeNames[1].value", error.field());
        assertEquals("{{UserName}}", error.value());
        assertTrue(error.message().contains("position 0"), error.message());
        assertTrue(error.message().contains("'@'"), error.message());
    }

    @Test
    void incompleteSanEntriesRejected() {
        List<FieldError> errors = validate(spec -> {
            spec.subjectAlternativeNames = Arrays.asList(
                    null,
                    new SanSpec(null, "{{EmailAddress}}"),
                    new SanSpec(SanType.DNS, " "),
                    new SanSpec(null, "{{Foo}}"));
            return spec;
        });

        List<String> fields = errors.stream().map(FieldError::field).collect(Collectors.toList());
        assertEquals(List.of("subjectAlternativeNames[0]", "subjectAlternativeNames[1].type",
                "subjectAlternativeNames[2].value", "subjectAlternativeNames[3].type",
                "subjectAlternativeNames[3].value"), fields);
        assertTrue(errors.get(4).message().contains("{{Foo}}"), errors.get(4).message());
    }

    @Test
    void tooManySansRejected() {
        List<SanSpec> ten = Collections.nCopies(10, new SanSpec(SanType.EMAIL, "{{EmailAddress}}"));
        assertEquals(List.of(), validate(spec -> {
            spec.subjectAlternativeNames = ten;
            return spec;
        }));

        List<SanSpec> eleven = new ArrayList<>(ten);
        eleven.add(new SanSpec(SanType.DNS, "bad_name"));
        List<FieldError> errors = validate(spec -> {
            spec.subjectAlternativeNames = eleven;
            return spec;
        });

        assertEquals(2, errors.size(), () -> "errors: " + errors);
        assertEquals("subjectAlternativeNames", errors.get(0).field());
        assertEquals("11", errors.get(0).value());
        assertTrue(errors.get(0).message().contains("at most 10"), errors.get(0).message());
        assertEquals("subjectAlternativeNames[10].value", errors.get(1).field());
    }

    @Test
    void keySizeMustBe2048Or4096() {
        for (int size : new int[] {1024, 3072, 8192}) {
            FieldError error = onlyError(validate(spec -> {
                spec.keySize = size;
                return spec;
            }));

            assertEquals("keySize", error.field());
            assertEquals(String.valueOf(size), error.value());
            assertTrue(error.message().contains("2048 or 4096"), error.message());
        }
    }

    @Test
    void keyUsagesMustNotBeEmpty() {
        FieldError error = onlyError(validate(spec -> {
            spec.keyUsages = Set.of();
            return spec;
        }));

        assertEquals("keyUsages", error.field());
        assertEquals("[]", error.value());
        assertTrue(error.message().contains("DIGITAL_SIGNATURE"), error.message());
    }

    @Test
    void eachKeyUsageAloneAccepted() {
        for (KeyUsageOption option : KeyUsageOption.values()) {
            assertEquals(List.of(), validate(spec -> {
                spec.keyUsages = Set.of(option);
                return spec;
            }), option.name());
        }
    }

    @Test
    void validityMonthsRange() {
        for (int months : new int[] {1, 24}) {
            assertEquals(List.of(), validate(spec -> {
                spec.validityMonths = months;
                return spec;
            }), "months " + months);
        }
        for (int months : new int[] {0, 25, -1}) {
            FieldError error = onlyError(validate(spec -> {
                spec.validityMonths = months;
                return spec;
            }));

            assertEquals("validityMonths", error.field());
            assertEquals(String.valueOf(months), error.value());
            assertTrue(error.message().contains("from 1 to 24 months"), error.message());
        }
    }

    @Test
    void renewalThresholdRange() {
        for (int percent : new int[] {1, 50}) {
            assertEquals(List.of(), validate(spec -> {
                spec.renewalThresholdPercent = percent;
                return spec;
            }), "percent " + percent);
        }
        for (int percent : new int[] {0, 51}) {
            FieldError error = onlyError(validate(spec -> {
                spec.renewalThresholdPercent = percent;
                return spec;
            }));

            assertEquals("renewalThresholdPercent", error.field());
            assertTrue(error.message().contains("from 1 to 50 percent"), error.message());
        }
    }

    @Test
    void rootProfileIdRequired() {
        FieldError error = onlyError(validate(spec -> {
            spec.rootProfileId = "";
            return spec;
        }));

        assertEquals("rootProfileId", error.field());
        assertEquals("", error.value());
    }

    @Test
    void extendedKeyUsagesMustIncludeEmailProtection() {
        FieldError error = onlyError(validate(spec -> {
            spec.extendedKeyUsages = List.of("clientAuth", "1.3.6.1.4.1.311.20.2.2");
            return spec;
        }));

        assertEquals("extendedKeyUsages", error.field());
        assertTrue(error.message().contains("Add " + EMAIL_PROTECTION), error.message());
    }

    @Test
    void emptyExtendedKeyUsagesRejected() {
        FieldError error = onlyError(validate(spec -> {
            spec.extendedKeyUsages = List.of();
            return spec;
        }));

        assertEquals("extendedKeyUsages", error.field());
        assertTrue(error.message().contains(EMAIL_PROTECTION), error.message());
    }

    @Test
    void extendedKeyUsageNamesAndOidsAccepted() {
        List<String> entries = List.of(" EMAILPROTECTION ", "ClientAuth", "1.3.6.1.5.5.7.3.9", "2.999.1", "0.39");

        assertEquals(List.of(), validate(spec -> {
            spec.extendedKeyUsages = entries;
            return spec;
        }));
    }

    @Test
    void invalidOidsNameIndex() {
        List<String> entries = Arrays.asList(EMAIL_PROTECTION, "abc", "3.1", "1.40", "1.3.06", "1..3", "1", "",
                null, "1.3.");

        List<FieldError> errors = validate(spec -> {
            spec.extendedKeyUsages = entries;
            return spec;
        });

        assertEquals(entries.size() - 1, errors.size(), () -> "errors: " + errors);
        for (int i = 1; i < entries.size(); i++) {
            FieldError error = errors.get(i - 1);
            assertEquals("extendedKeyUsages[" + i + "]", error.field());
            assertEquals(entries.get(i), error.value());
        }
        assertTrue(errors.get(0).message().contains("neither a dotted OID"), errors.get(0).message());
        assertTrue(errors.get(1).message().contains("first arc must be 0, 1 or 2"), errors.get(1).message());
        assertTrue(errors.get(2).message().contains("below 40"), errors.get(2).message());
        assertTrue(errors.get(3).message().contains("leading zero"), errors.get(3).message());
        assertTrue(errors.get(4).message().contains("empty arc"), errors.get(4).message());
        assertTrue(errors.get(5).message().contains("at least two arcs"), errors.get(5).message());
        assertTrue(errors.get(6).message().contains("empty"), errors.get(6).message());
    }

    @Test
    void invalidEntryStillReportsMissingEmailProtection() {
        List<FieldError> errors = validate(spec -> {
            spec.extendedKeyUsages = List.of("emailProtecton");
            return spec;
        });

        List<String> fields = errors.stream().map(FieldError::field).collect(Collectors.toList());
        assertEquals(List.of("extendedKeyUsages[0]", "extendedKeyUsages"), fields);
    }

    @Test
    void duplicateExtendedKeyUsageRejected() {
        FieldError error = onlyError(validate(spec -> {
            spec.extendedKeyUsages = List.of("emailProtection", EMAIL_PROTECTION);
            return spec;
        }));

        assertEquals("extendedKeyUsages[1]", error.field());
        assertTrue(error.message().contains("index 0"), error.message());
    }

    @Test
    void normalizedExtendedKeyUsagesReturnsOids() {
        List<String> normalized = ScepProfileValidator.normalizedExtendedKeyUsages(
                List.of("emailProtection", "clientAuth", " 1.2.3.4 ", "EMAILPROTECTION"));

        assertEquals(List.of(EMAIL_PROTECTION, "1.3.6.1.5.5.7.3.2", "1.2.3.4"), normalized);
    }

    @Test
    void normalizedExtendedKeyUsagesRejectsInvalid() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ScepProfileValidator.normalizedExtendedKeyUsages(List.of("emailProtection", "smime")));

        assertTrue(error.getMessage().contains("'smime'"), error.getMessage());
    }

    @Test
    void severalProblemsReportedTogether() {
        List<FieldError> errors = validate(spec -> {
            spec.keySize = 1024;
            spec.validityMonths = 36;
            spec.certificateType = "device";
            return spec;
        });

        List<String> fields = errors.stream().map(FieldError::field).collect(Collectors.toList());
        assertEquals(List.of("certificateType", "keySize", "validityMonths"), fields);
    }
}
