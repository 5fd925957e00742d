package io.smimedelivery.device.report;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * Conflict rule between certificate policies of one user. Two policies conflict when both deploy
 * certificates and their PolicySettings differ in at least one of {@link #SETTINGS}. A policy is in
 * conflict for a user when it conflicts with any other policy of that user. The SQL form and the Java
 * form compare the same JSON fields, so the reports and the user report agree.
 */
final class PolicyConflicts {

    /** PolicySettings fields that must agree: the certificate sources, the S/MIME switches and their user-change flags. */
    static final List<String> SETTINGS = List.of("signingProfileType", "encryptionProfileType", "smimeEnabled",
            "smimeUserChangeAllowed", "encryptAllMail", "encryptAllMailUserChangeAllowed", "signAllMail",
            "signAllMailUserChangeAllowed");

    private PolicyConflicts() {
    }

    /** Returns an SQL condition that is true when the settings column of {@code alias} deploys certificates. */
    static String deploysSql(String alias) {
        return "COALESCE(" + alias + ".settings -> 'deployCertificates' = 'true'::jsonb, false)";
    }

    /** Returns an SQL condition that is true when two aliases of user_policy differ in one of {@link #SETTINGS}. */
    static String differSql(String left, String right) {
        return tupleSql(left) + " IS DISTINCT FROM " + tupleSql(right);
    }

    private static String tupleSql(String alias) {
        return SETTINGS.stream().map(field -> alias + ".settings -> '" + field + "'")
                .collect(Collectors.joining(", ", "jsonb_build_array(", ")"));
    }

    /** Returns true when the settings JSON deploys certificates, as {@link #deploysSql} decides. */
    static boolean deploys(JsonNode settings) {
        JsonNode deploy = settings.get("deployCertificates");
        return deploy != null && deploy.isBoolean() && deploy.booleanValue();
    }

    /**
     * Returns the fields of {@link #SETTINGS} in which {@code policy} differs from at least one of the
     * other deploying policies, in the order of {@link #SETTINGS}. The list is empty when {@code policy}
     * does not deploy certificates. A missing field compares like JSON null, as in SQL.
     */
    static List<String> conflictingSettings(JsonNode policy, List<JsonNode> others) {
        if (!deploys(policy)) {
            return List.of();
        }
        List<JsonNode> deploying = others.stream().filter(PolicyConflicts::deploys).toList();
        return SETTINGS.stream()
                .filter(field -> deploying.stream().anyMatch(other -> !Objects.equals(field(policy, field), field(other, field))))
                .toList();
    }

    private static JsonNode field(JsonNode settings, String name) {
        JsonNode value = settings.get(name);
        return value == null ? NullNode.getInstance() : value;
    }
}
