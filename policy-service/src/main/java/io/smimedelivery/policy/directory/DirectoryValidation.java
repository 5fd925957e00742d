package io.smimedelivery.policy.directory;

import java.net.IDN;
import java.util.ArrayList;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.smimedelivery.common.problem.FieldError;

/** Field checks of directory users and groups, shared by the single-item API and the bulk imports. */
public final class DirectoryValidation {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:-]{0,127}");
    /** Local part of an address: the dot-atom of RFC 5322, plus UTF-8 letters (RFC 6531). */
    private static final Pattern LOCAL_PART = Pattern.compile("[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+(\\.[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern ASCII_DOMAIN = Pattern.compile(
            "(?i)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+");

    private DirectoryValidation() {
    }

    public static List<FieldError> validateUser(UserData user) {
        List<FieldError> errors = new ArrayList<>();
        checkId(errors, "id", user.id());
        checkAddress(errors, "userPrincipalName", user.userPrincipalName());
        checkAddress(errors, "email", user.email());
        if (user.displayName() == null || user.displayName().isBlank()) {
            errors.add(new FieldError("displayName", null, "is required; give the user's name"));
        } else if (user.displayName().length() > 256) {
            errors.add(new FieldError("displayName", user.displayName().substring(0, 40) + "...", "is longer than 256 characters"));
        }
        if (user.preferredLanguage() != null && !user.preferredLanguage().isBlank()
                && normalizeLanguage(user.preferredLanguage()) == null) {
            errors.add(new FieldError("preferredLanguage", user.preferredLanguage(),
                    "is not a BCP 47 language tag; use a tag such as it, en or it-IT"));
        }
        return errors;
    }

    public static void checkId(List<FieldError> errors, String field, String id) {
        if (id == null || id.isBlank()) {
            errors.add(new FieldError(field, null, "is required"));
        } else if (!ID.matcher(id).matches()) {
            errors.add(new FieldError(field, id,
                    "is not a valid id; use up to 128 letters, digits and . _ @ : - starting with a letter or digit"));
        }
    }

    /** Returns the language tag in canonical case, such as it-IT, or null when it is not a tag. */
    public static String normalizeLanguage(String tag) {
        if (tag == null || tag.isBlank()) {
            return null;
        }
        try {
            Locale locale = new Locale.Builder().setLanguageTag(tag.trim().replace('_', '-')).build();
            return locale.getLanguage().isEmpty() ? null : locale.toLanguageTag();
        } catch (IllformedLocaleException e) {
            return null;
        }
    }

    private static void checkAddress(List<FieldError> errors, String field, String address) {
        if (address == null || address.isBlank()) {
            errors.add(new FieldError(field, null, "is required; use an address such as mario.rossi@example.it"));
            return;
        }
        if (!isAddress(address.trim())) {
            errors.add(new FieldError(field, address, "is not a valid address; use the form name@domain, such as mario.rossi@example.it"));
        }
    }

    /** Checks local@domain, where the domain may be an internationalised domain name. */
    static boolean isAddress(String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0 || at != address.indexOf('@') || at == address.length() - 1 || address.length() > 254) {
            return false;
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (local.length() > 64 || !LOCAL_PART.matcher(local).matches()) {
            return false;
        }
        try {
            return ASCII_DOMAIN.matcher(IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED)).matches();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
