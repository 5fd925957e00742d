package io.smimedelivery.policy.scep;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.smimedelivery.common.problem.FieldError;
import io.smimedelivery.policy.scep.ScepProfileSpec.SanSpec;
import io.smimedelivery.scep.CertificateTemplate;
import io.smimedelivery.scep.SanTemplate;
import io.smimedelivery.scep.SubjectNameFormat;
import io.smimedelivery.scep.TemplateSyntaxException;

/** Validation of a submitted {@link ScepProfileSpec}, returning every problem at once. */
public final class ScepProfileValidator {

    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_SUBJECT_ALTERNATIVE_NAMES = 10;
    static final int MIN_VALIDITY_MONTHS = 1;
    static final int MAX_VALIDITY_MONTHS = 24;
    /** Limits of the share of validity, in percent, that remains when a device renews its certificate. */
    static final int MIN_RENEWAL_THRESHOLD_PERCENT = 1;
    static final int MAX_RENEWAL_THRESHOLD_PERCENT = 50;
    private static final Set<Integer> KEY_SIZES = Set.of(2048, 4096);

    private ScepProfileValidator() {
    }

    /**
     * Checks every field of {@code spec} and returns one error per problem, or an empty list when the profile is
     * valid. Each error names the JSON field path, such as {@code subjectAlternativeNames[1].value}. Whether
     * {@code rootProfileId} exists is left to the caller.
     */
    public static List<FieldError> validate(ScepProfileSpec spec) {
        Objects.requireNonNull(spec, "spec");
        List<FieldError> errors = new ArrayList<>();
        validateName(spec.name(), errors);
        validateCertificateType(spec.certificateType(), errors);
        validateSubjectNameFormat(spec.subjectNameFormat(), errors);
        validateSubjectAlternativeNames(spec.subjectAlternativeNames(), errors);
        validateKeySize(spec.keySize(), errors);
        validateKeyUsages(spec.keyUsages(), errors);
        validateRange("validityMonths", spec.validityMonths(), MIN_VALIDITY_MONTHS, MAX_VALIDITY_MONTHS, "months",
                errors);
        validateExtendedKeyUsages(spec.extendedKeyUsages(), errors);
        validateRange("renewalThresholdPercent", spec.renewalThresholdPercent(), MIN_RENEWAL_THRESHOLD_PERCENT,
                MAX_RENEWAL_THRESHOLD_PERCENT, "percent", errors);
        validateRootProfileId(spec.rootProfileId(), errors);
        return List.copyOf(errors);
    }

    /**
     * Converts extended key usage entries to dotted OIDs, mapping emailProtection and clientAuth in any case to
     * their OIDs, and drops repeated OIDs while keeping the order of first appearance.
     *
     * @throws IllegalArgumentException for an entry that is neither a known name nor a valid OID, which
     *                                  {@link #validate(ScepProfileSpec)} reports first
     */
    public static List<String> normalizedExtendedKeyUsages(List<String> extendedKeyUsages) {
        Objects.requireNonNull(extendedKeyUsages, "extendedKeyUsages");
        Set<String> oids = new LinkedHashSet<>();
        for (String entry : extendedKeyUsages) {
            oids.add(ExtendedKeyUsages.toOid(entry));
        }
        return List.copyOf(oids);
    }

    private static void validateName(String name, List<FieldError> errors) {
        if (name == null || name.isBlank()) {
            errors.add(new FieldError("name", name, "The profile name is required. Write a display name of up to "
                    + MAX_NAME_LENGTH + " characters."));
            return;
        }
        int length = name.codePointCount(0, name.length());
        if (length > MAX_NAME_LENGTH) {
            errors.add(new FieldError("name", name, "The profile name has " + length + " characters, but at most "
                    + MAX_NAME_LENGTH + " are allowed. Shorten it."));
        }
    }

    private static void validateCertificateType(String certificateType, List<FieldError> errors) {
        if (certificateType == null || certificateType.isBlank()) {
            errors.add(new FieldError("certificateType", certificateType, "The certificate type is required. "
                    + "Set it to user."));
        } else if (certificateType.strip().equalsIgnoreCase("device")) {
            errors.add(new FieldError("certificateType", certificateType, "Device certificates are not supported "
                    + "for S/MIME, because an S/MIME certificate identifies a user. Set certificateType to user."));
        } else if (!certificateType.strip().toLowerCase(Locale.ROOT).equals("user")) {
            errors.add(new FieldError("certificateType", certificateType, "Unknown certificate type '"
                    + certificateType + "'. Set certificateType to user."));
        }
    }

    private static void validateSubjectNameFormat(String format, List<FieldError> errors) {
        if (format == null || format.isBlank()) {
            errors.add(new FieldError("subjectNameFormat", format, "The subject name format is required. Write "
                    + "an X.500 name such as CN={{UserName}},E={{EmailAddress}},O=Contoso,C=IT."));
            return;
        }
        try {
            SubjectNameFormat.parse(format);
        } catch (TemplateSyntaxException e) {
            errors.add(new FieldError("subjectNameFormat", format, "Invalid subject name format. " + e.getMessage()));
        }
    }

    private static void validateSubjectAlternativeNames(List<SanSpec> sans, List<FieldError> errors) {
        if (sans == null) {
            return;
        }
        if (sans.size() > MAX_SUBJECT_ALTERNATIVE_NAMES) {
            errors.add(new FieldError("subjectAlternativeNames", String.valueOf(sans.size()), sans.size()
                    + " subject alternative names were given, but at most " + MAX_SUBJECT_ALTERNATIVE_NAMES
                    + " are allowed. Remove " + (sans.size() - MAX_SUBJECT_ALTERNATIVE_NAMES) + "."));
        }
        for (int i = 0; i < sans.size(); i++) {
            validateSubjectAlternativeName("subjectAlternativeNames[" + i + "]", sans.get(i), errors);
        }
    }

    private static void validateSubjectAlternativeName(String path, SanSpec san, List<FieldError> errors) {
        if (san == null) {
            errors.add(new FieldError(path, null, "The subject alternative name entry is missing. Remove the null "
                    + "entry or give it a type and a value."));
            return;
        }
        if (san.type() == null) {
            errors.add(new FieldError(path + ".type", null, "The subject alternative name type is required. Use "
                    + "one of EMAIL, UPN, URI or DNS."));
        }
        if (san.value() == null || san.value().isBlank()) {
            errors.add(new FieldError(path + ".value", san.value(), "The subject alternative name value is "
                    + "required. Write a template such as {{EmailAddress}}."));
            return;
        }
        if (san.type() == null) {
            try {
                CertificateTemplate.parse(san.value());
            } catch (TemplateSyntaxException e) {
                errors.add(new FieldError(path + ".value", san.value(), "Invalid subject alternative name. "
                        + e.getMessage()));
            }
            return;
        }
        try {
            SanTemplate.parse(san.type(), san.value());
        } catch (TemplateSyntaxException e) {
            errors.add(new FieldError(path + ".value", san.value(), "Invalid " + san.type()
                    + " subject alternative name. " + e.getMessage()));
        }
    }

    private static void validateKeySize(Integer keySize, List<FieldError> errors) {
        if (keySize == null) {
            errors.add(new FieldError("keySize", null, "The key size is required. Use 2048 or 4096."));
        } else if (!KEY_SIZES.contains(keySize)) {
            errors.add(new FieldError("keySize", keySize.toString(), "Key size " + keySize
                    + " is not supported. Use 2048 or 4096."));
        }
    }

    private static void validateKeyUsages(Set<KeyUsageOption> keyUsages, List<FieldError> errors) {
        if (keyUsages == null || keyUsages.isEmpty()) {
            errors.add(new FieldError("keyUsages", keyUsages == null ? null : keyUsages.toString(), "At least one "
                    + "key usage is required. Use DIGITAL_SIGNATURE, KEY_ENCIPHERMENT or both."));
        } else if (keyUsages.stream().anyMatch(Objects::isNull)) {
            errors.add(new FieldError("keyUsages", keyUsages.toString(), "The key usages contain null. Use only "
                    + "DIGITAL_SIGNATURE and KEY_ENCIPHERMENT."));
        }
    }

    private static void validateRange(String field, Integer value, int min, int max, String unit,
            List<FieldError> errors) {
        if (value == null) {
            errors.add(new FieldError(field, null, field + " is required. Use a whole number of " + unit + " from "
                    + min + " to " + max + "."));
        } else if (value < min || value > max) {
            errors.add(new FieldError(field, value.toString(), field + " must be from " + min + " to " + max + " "
                    + unit + ", but is " + value + "."));
        }
    }

    private static void validateExtendedKeyUsages(List<String> entries, List<FieldError> errors) {
        String missingEmailProtection = "S/MIME certificates need the emailProtection extended key usage. Add "
                + ExtendedKeyUsages.EMAIL_PROTECTION + ".";
        if (entries == null || entries.isEmpty()) {
            errors.add(new FieldError("extendedKeyUsages", entries == null ? null : entries.toString(),
                    "The extended key usages are required. " + missingEmailProtection));
            return;
        }
        Map<String, Integer> firstIndexByOid = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            String path = "extendedKeyUsages[" + i + "]";
            String entry = entries.get(i);
            String problem = ExtendedKeyUsages.findProblem(entry);
            if (problem != null) {
                errors.add(new FieldError(path, entry, problem));
                continue;
            }
            String oid = ExtendedKeyUsages.toOid(entry);
            Integer firstIndex = firstIndexByOid.putIfAbsent(oid, i);
            if (firstIndex != null) {
                errors.add(new FieldError(path, entry, "The extended key usage " + oid + " is already listed at "
                        + "index " + firstIndex + ". Remove the duplicate."));
            }
        }
        if (!firstIndexByOid.containsKey(ExtendedKeyUsages.EMAIL_PROTECTION)) {
            errors.add(new FieldError("extendedKeyUsages", entries.toString(), "The extended key usages do not "
                    + "include emailProtection. " + missingEmailProtection));
        }
    }

    private static void validateRootProfileId(String rootProfileId, List<FieldError> errors) {
        if (rootProfileId == null || rootProfileId.isBlank()) {
            errors.add(new FieldError("rootProfileId", rootProfileId, "The root profile id is required. Set it to "
                    + "the id of the trusted root certificate profile that the issuing CA chains to."));
        }
    }
}
