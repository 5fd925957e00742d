package io.smimedelivery.policy.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.smimedelivery.common.problem.FieldError;
import io.smimedelivery.events.EncryptionProfileType;
import io.smimedelivery.events.EndUserNotification;
import io.smimedelivery.events.SigningProfileType;

/**
 * Checks a {@link PolicyRequest} and builds the {@link PolicyDocument}. Every problem is collected, so
 * the administrator gets all of them in one response. Whether referenced profiles exist is checked
 * through the two predicates, which the caller backs with the database.
 */
public final class PolicyValidator {

    /** ldap://host[:port], ldaps://host[:port] or host[:port]; host is a DNS name, IPv4 or [IPv6]. */
    private static final Pattern LDAP_HOST = Pattern.compile(
            "^(?:(ldaps?)://)?(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)(?::(\\d{1,5}))?/?$");
    private static final int MAX_NAME_LENGTH = 200;
    private static final int MAX_DESCRIPTION_LENGTH = 1000;
    /** Each id costs a database lookup, so the list is bounded; a policy needs a handful of roots. */
    private static final int MAX_TRUSTED_ROOTS = 100;

    private PolicyValidator() {
    }

    /** Result: the document, or the problems that prevent it. */
    public record Result(PolicyDocument document, List<FieldError> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    public static Result validate(PolicyRequest request, Predicate<UUID> scepProfileExists,
            Predicate<UUID> trustedRootExists) {
        List<FieldError> errors = new ArrayList<>();

        String name = request.name();
        if (name == null || name.isBlank()) {
            errors.add(new FieldError("name", null, "is required; give the policy a name"));
        } else if (name.length() > MAX_NAME_LENGTH) {
            errors.add(new FieldError("name", name.substring(0, 40) + "...", "is longer than " + MAX_NAME_LENGTH + " characters"));
        }
        if (request.description() != null && request.description().length() > MAX_DESCRIPTION_LENGTH) {
            errors.add(new FieldError("description", request.description().substring(0, 40) + "...", "has "
                    + request.description().length() + " characters; shorten it to at most " + MAX_DESCRIPTION_LENGTH));
        }
        fixed(errors, "deviceEnrollmentType", request.deviceEnrollmentType(), PolicyDocument.MANAGED_DEVICES,
                "only managed devices are supported, because certificates are delivered through Company Portal");
        fixed(errors, "platform", request.platform(), PolicyDocument.IOS_IPADOS, "only iOS and iPadOS are supported");
        fixed(errors, "targetApp", request.targetApp(), PolicyDocument.OUTLOOK_IOS, "only Outlook for iOS is supported");

        boolean smime = required(errors, "smimeEnabled", request.smimeEnabled());
        boolean deploy = required(errors, "deployCertificates", request.deployCertificates());
        boolean smimeUserChange = flag(request.smimeUserChangeAllowed());
        boolean encryptAll = flag(request.encryptAllMail());
        boolean signAll = flag(request.signAllMail());
        if (deploy && request.smimeEnabled() != null && !smime) {
            errors.add(new FieldError("deployCertificates", "true",
                    "requires smimeEnabled true; enable S/MIME or stop deploying certificates"));
        }
        if (!smime && encryptAll) {
            errors.add(new FieldError("encryptAllMail", "true", "requires smimeEnabled true"));
        }
        if (!smime && signAll) {
            errors.add(new FieldError("signAllMail", "true", "requires smimeEnabled true"));
        }

        SigningProfileType signing = null;
        EncryptionProfileType encryption = null;
        EndUserNotification notification = null;
        UUID scepProfileId = null;
        if (deploy) {
            signing = choice(errors, "signingCertificateProfileType", request.signingCertificateProfileType(),
                    SigningProfileType.class);
            encryption = encryptionType(errors, request.encryptionCertificateProfileType());
            notification = choice(errors, "endUserNotification", request.endUserNotification(), EndUserNotification.class);
            if (signing == SigningProfileType.SCEP) {
                scepProfileId = reference(errors, "scepProfileId", request.scepProfileId(), scepProfileExists,
                        "SCEP profile", "required when signingCertificateProfileType is SCEP; create a SCEP profile first");
            } else if (request.scepProfileId() != null) {
                errors.add(new FieldError("scepProfileId", request.scepProfileId(),
                        "is only used when signingCertificateProfileType is SCEP; remove it"));
            }
        } else {
            notUsedWithoutDeployment(errors, "signingCertificateProfileType", request.signingCertificateProfileType());
            notUsedWithoutDeployment(errors, "encryptionCertificateProfileType", request.encryptionCertificateProfileType());
            notUsedWithoutDeployment(errors, "endUserNotification", request.endUserNotification());
            notUsedWithoutDeployment(errors, "scepProfileId", request.scepProfileId());
        }

        List<UUID> roots = trustedRoots(errors, request.trustedRootProfileIds(), trustedRootExists);
        String ldap = ldapHost(errors, request.ldapHostName());

        if (!errors.isEmpty()) {
            return new Result(null, List.copyOf(errors));
        }
        PolicyDocument document = new PolicyDocument(PolicyDocument.MANAGED_DEVICES, PolicyDocument.IOS_IPADOS,
                PolicyDocument.OUTLOOK_IOS, smime, smimeUserChange, deploy, signing, scepProfileId, encryption,
                notification, roots, encryptAll, flag(request.encryptAllMailUserChangeAllowed()), signAll,
                flag(request.signAllMailUserChangeAllowed()), ldap);
        return new Result(document, List.of());
    }

    /** Returns the normalized LDAP host, or null when none is set; adds an error when it is malformed. */
    static String ldapHost(List<FieldError> errors, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.trim();
        Matcher matcher = LDAP_HOST.matcher(trimmed);
        if (!matcher.matches()) {
            errors.add(new FieldError("ldapHostName", value,
                    "is not a valid LDAP host; use ldap://host[:port], ldaps://host[:port] or host[:port], such as ldaps://ldap.example.it:636"));
            return null;
        }
        if (matcher.group(3) != null) {
            int port = Integer.parseInt(matcher.group(3));
            if (port < 1 || port > 65535) {
                errors.add(new FieldError("ldapHostName", value, "has port " + port + "; use a port from 1 to 65535"));
                return null;
            }
        }
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    private static void fixed(List<FieldError> errors, String field, String value, String only, String reason) {
        if (value != null && !value.equals(only)) {
            errors.add(new FieldError(field, value, "must be " + only + " (or omitted): " + reason));
        }
    }

    private static boolean required(List<FieldError> errors, String field, Boolean value) {
        if (value == null) {
            errors.add(new FieldError(field, null, "is required; set true or false"));
            return false;
        }
        return value;
    }

    private static boolean flag(Boolean value) {
        return value != null && value;
    }

    private static <E extends Enum<E>> E choice(List<FieldError> errors, String field, String value, Class<E> type) {
        String allowed = allowedValues(type);
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, null, "is required when deployCertificates is true; use one of " + allowed));
            return null;
        }
        Optional<E> match = Arrays.stream(type.getEnumConstants())
                .filter(constant -> !constant.name().equals("UNKNOWN"))
                .filter(constant -> constant.name().equals(value.trim().toUpperCase(Locale.ROOT)))
                .findFirst();
        if (match.isEmpty()) {
            errors.add(new FieldError(field, value, "is not a known value; use one of " + allowed));
            return null;
        }
        return match.get();
    }

    private static EncryptionProfileType encryptionType(List<FieldError> errors, String value) {
        if (value != null && value.trim().equalsIgnoreCase("SCEP")) {
            errors.add(new FieldError("encryptionCertificateProfileType", value,
                    "SCEP is not allowed for encryption, because every device of a user and the escrow need the same"
                            + " decryption key; use IMPORTED_PKCS or DERIVED_CREDENTIAL"));
            return null;
        }
        return choice(errors, "encryptionCertificateProfileType", value, EncryptionProfileType.class);
    }

    private static void notUsedWithoutDeployment(List<FieldError> errors, String field, String value) {
        if (value != null) {
            errors.add(new FieldError(field, value, "is only used when deployCertificates is true; remove it"));
        }
    }

    private static UUID reference(List<FieldError> errors, String field, String value, Predicate<UUID> exists,
            String what, String missingMessage) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, null, "is " + missingMessage));
            return null;
        }
        UUID id = parseUuid(value);
        if (id == null) {
            errors.add(new FieldError(field, value, "is not a UUID; use the id returned when the " + what + " was created"));
            return null;
        }
        if (!exists.test(id)) {
            errors.add(new FieldError(field, value, "names no " + what + "; list them to find the right id"));
            return null;
        }
        return id;
    }

    private static List<UUID> trustedRoots(List<FieldError> errors, List<String> values, Predicate<UUID> exists) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > MAX_TRUSTED_ROOTS) {
            errors.add(new FieldError("trustedRootProfileIds", values.size() + " ids",
                    "list at most " + MAX_TRUSTED_ROOTS + " trusted root profiles"));
            return List.of();
        }
        Set<UUID> ids = new LinkedHashSet<>();
        for (int i = 0; i < values.size(); i++) {
            UUID id = reference(errors, "trustedRootProfileIds[" + i + "]", values.get(i), exists,
                    "trusted root profile", "empty; remove the entry or give a trusted root profile id");
            if (id != null) {
                ids.add(id);
            }
        }
        return List.copyOf(ids);
    }

    private static UUID parseUuid(String value) {
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static <E extends Enum<E>> String allowedValues(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Enum::name).filter(name -> !name.equals("UNKNOWN"))
                .collect(Collectors.joining(", "));
    }
}
