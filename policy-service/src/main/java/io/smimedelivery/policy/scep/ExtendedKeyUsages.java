package io.smimedelivery.policy.scep;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;

/** Extended key usage entries of a SCEP profile: dotted OIDs or the names emailProtection and clientAuth. */
final class ExtendedKeyUsages {

    /** id-kp-emailProtection, which S/MIME certificates need. */
    static final String EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
    /** id-kp-clientAuth. */
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private static final Map<String, String> OIDS_BY_LOWER_CASE_NAME = Map.of(
            "emailprotection", EMAIL_PROTECTION,
            "clientauth", CLIENT_AUTH);
    private static final BigInteger FORTY = BigInteger.valueOf(40);

    private ExtendedKeyUsages() {
    }

    /**
     * Returns the OID of a name, ignoring case, or {@code entry} itself with surrounding whitespace removed when
     * it is a valid dotted OID.
     *
     * @throws IllegalArgumentException when {@code entry} is neither, and its message explains the fix
     */
    static String toOid(String entry) {
        String problem = findProblem(entry);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        String trimmed = entry.strip();
        return OIDS_BY_LOWER_CASE_NAME.getOrDefault(trimmed.toLowerCase(Locale.ROOT), trimmed);
    }

    /** Returns null when {@code entry} is a known name or a valid dotted OID, otherwise what is wrong and the fix. */
    static String findProblem(String entry) {
        if (entry == null || entry.isBlank()) {
            return "The extended key usage is empty. Write a dotted OID such as " + EMAIL_PROTECTION
                    + " or the name emailProtection or clientAuth.";
        }
        String trimmed = entry.strip();
        if (OIDS_BY_LOWER_CASE_NAME.containsKey(trimmed.toLowerCase(Locale.ROOT))) {
            return null;
        }
        if (!trimmed.matches("[0-9.]+")) {
            return "'" + trimmed + "' is neither a dotted OID nor one of the names emailProtection and clientAuth. "
                    + "Write an OID such as " + EMAIL_PROTECTION + ".";
        }
        return findOidProblem(trimmed);
    }

    /**
     * Checks dotted OID syntax. An OID has at least two decimal arcs without leading zeros, and the first arc is 0, 1
     * or 2. DER encodes the first two arcs as one number, 40 * first + second, so the second arc must be below 40
     * when the first is 0 or 1.
     */
    private static String findOidProblem(String oid) {
        String[] arcs = oid.split("\\.", -1);
        String invalid = "Invalid OID '" + oid + "'. ";
        if (arcs.length < 2) {
            return invalid + "An OID has at least two arcs separated by dots, such as " + EMAIL_PROTECTION + ".";
        }
        for (String arc : arcs) {
            if (arc.isEmpty()) {
                return invalid + "It contains an empty arc. Remove the extra dot.";
            }
            if (arc.length() > 1 && arc.charAt(0) == '0') {
                return invalid + "The arc '" + arc + "' has a leading zero. Remove it.";
            }
        }
        BigInteger first = new BigInteger(arcs[0]);
        if (first.compareTo(BigInteger.TWO) > 0) {
            return invalid + "The first arc must be 0, 1 or 2.";
        }
        if (first.compareTo(BigInteger.TWO) < 0 && new BigInteger(arcs[1]).compareTo(FORTY) >= 0) {
            return invalid + "The second arc must be below 40 when the first arc is 0 or 1.";
        }
        return null;
    }
}
