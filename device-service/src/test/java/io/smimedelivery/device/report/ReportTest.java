package io.smimedelivery.device.report;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.smimedelivery.common.jdbc.Sql;
import io.smimedelivery.events.EventJson;
import io.smimedelivery.infra.InfrastructureTestResource;

/**
 * The reports against real PostgreSQL. Each test inserts its own scenario with unique ids, as the event
 * consumers would store it, and reads it through the API.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "device"))
class ReportTest {

    private static final List<String> CSV_HEADER = List.of("deviceId", "userId", "userPrincipalName", "email",
            "platform", "model", "intuneState", "state", "reasonCode", "detail", "policyVersion", "updatedAt");
    private static final String C1_DETAIL = "Sent \"mail\", then\nretried, twice";
    private static final String C1_MODEL = "=HYPERLINK(\"http://example.invalid\",\"open\")";

    @Inject
    DataSource dataSource;

    /** Ids of the main scenario, and the report state that every device must have in policy P. */
    private record Scenario(String policy, String conflictingPolicy, String samePolicy, String settingsOnlyPolicy,
            String userA, String userB, String userC, String userD, Map<String, String> expected) {

        List<String> devices(String... states) {
            List<String> selected = Arrays.asList(states);
            return expected.entrySet().stream().filter(entry -> selected.contains(entry.getValue())).map(Map.Entry::getKey)
                    .sorted().toList();
        }
    }

    /**
     * Builds policy P and its users. User A has one device per state. User B also has certificate policy Q,
     * whose signAllMail differs, so B's devices are in CONFLICT. User C also has policy R, which differs only
     * outside the compared settings, and the settings-only policy N. User D has only a status.
     */
    private Scenario scenario() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String p = "pol-" + id;
        String q = "polq-" + id;
        String r = "polr-" + id;
        String n = "poln-" + id;
        String a = "usr-a-" + id;
        String b = "usr-b-" + id;
        String c = "usr-c-" + id;
        String d = "usr-d-" + id;
        ReportFixtures fixtures = new ReportFixtures(dataSource);
        Instant at = Instant.parse("2025-03-04T05:06:07.123456Z");
        Map<String, String> expected = new LinkedHashMap<>();

        ObjectNode settings = ReportFixtures.deployingSettings();
        fixtures.contact(a, "a@contoso.example", "a.mail@contoso.example");
        fixtures.assign(a, p, 2, "S/MIME v2", settings);
        fixtures.device(dev(id, "a1"), a, "iOS", "MANAGED", "iPhone16,2", false);
        fixtures.status(dev(id, "a1"), p, a, "INSTALLED", null, "Installed", 2, at);
        expected.put(dev(id, "a1"), "SUCCEEDED");
        fixtures.device(dev(id, "a2"), a, "iPadOS", "MANAGED", "iPad14,1", false);
        fixtures.status(dev(id, "a2"), p, a, "FAILED", "NO_SIGNING_CERTIFICATE", "No signing certificate", 2, at);
        expected.put(dev(id, "a2"), "ERROR");
        fixtures.device(dev(id, "a3"), a, "Android", "MANAGED", "Pixel 8", false);
        expected.put(dev(id, "a3"), "NOT_APPLICABLE");
        fixtures.device(dev(id, "a4"), a, "iOS", "MANAGED", "iPhone15,2", true);
        fixtures.device(dev(id, "a5"), a, "iOS", "UNMANAGED", "iPhone15,3", false);
        expected.put(dev(id, "a5"), "NOT_APPLICABLE");
        fixtures.device(dev(id, "a6"), a, "iOS", "MANAGED", "iPhone14,2", true);
        fixtures.status(dev(id, "a6"), p, a, "REMOVED", "DEVICE_RETIRED", "The device was retired: lost", 2, at);
        expected.put(dev(id, "a6"), "REMOVED");
        fixtures.device(dev(id, "a7"), a, "iOS", "MANAGED", null, false);
        fixtures.status(dev(id, "a7"), p, a, "READY", null, null, 2, at);
        expected.put(dev(id, "a7"), "PENDING");
        fixtures.device(dev(id, "a8"), a, "ios", "MANAGED", null, false);
        expected.put(dev(id, "a8"), "PENDING");
        fixtures.device(dev(id, "a9"), a, "iOS", "MANAGED", null, false);
        fixtures.status(dev(id, "a9"), p, a, "PENDING", null, null, 2, at);
        expected.put(dev(id, "a9"), "PENDING");
        fixtures.device(dev(id, "aa"), a, "iOS", "MANAGED", null, false);
        fixtures.status(dev(id, "aa"), p, a, null, null, null, null, at);
        expected.put(dev(id, "aa"), "PENDING");

        ObjectNode differing = ReportFixtures.deployingSettings();
        differing.put("signAllMail", false);
        fixtures.contact(b, "b@contoso.example", "b@contoso.example");
        fixtures.assign(b, p, 2, "S/MIME v2", settings);
        fixtures.assign(b, q, 1, "Executives", differing);
        fixtures.device(dev(id, "b1"), b, "iOS", "MANAGED", "iPhone16,1", false);
        fixtures.status(dev(id, "b1"), p, b, "INSTALLED", null, null, 2, at);
        fixtures.status(dev(id, "b1"), q, b, "NOTIFIED", null, null, 1, at);
        expected.put(dev(id, "b1"), "CONFLICT");
        fixtures.device(dev(id, "b2"), b, "Windows", "MANAGED", "Surface", false);
        expected.put(dev(id, "b2"), "NOT_APPLICABLE");
        fixtures.device(dev(id, "b3"), b, "iOS", "MANAGED", "iPhone13,1", false);
        fixtures.status(dev(id, "b3"), p, b, "REMOVED", "USER_LEFT_GROUP", null, 2, at);
        expected.put(dev(id, "b3"), "REMOVED");
        fixtures.device(dev(id, "b4"), b, "iOS", "MANAGED", "iPhone13,2", false);
        fixtures.status(dev(id, "b4"), p, b, "FAILED", "EMAIL_MISMATCH", null, 2, at);
        expected.put(dev(id, "b4"), "CONFLICT");

        ObjectNode sameCompared = ReportFixtures.deployingSettings();
        sameCompared.put("endUserNotification", "EMAIL");
        sameCompared.put("ldapHostName", "ldap.contoso.example");
        fixtures.contact(c, "+c@contoso.example", "c@contoso.example");
        fixtures.assign(c, p, 1, "S/MIME v1", settings);
        fixtures.assign(c, r, 3, "Same certificates", sameCompared);
        fixtures.assign(c, n, 1, "Outlook settings only", ReportFixtures.settingsOnlySettings());
        fixtures.device(dev(id, "c1"), c, "iOS", "MANAGED", C1_MODEL, false);
        fixtures.status(dev(id, "c1"), p, c, "NOTIFIED", null, C1_DETAIL, 1, at);
        expected.put(dev(id, "c1"), "PENDING");
        fixtures.device(dev(id, "c2"), c, "iOS", "MANAGED", "@SUM(A1)", false);
        fixtures.status(dev(id, "c2"), p, c, "RETRIEVED", null, "-1 day left", 1, at.plusSeconds(1));
        expected.put(dev(id, "c2"), "PENDING");

        fixtures.status(dev(id, "d1"), p, d, "FAILED", "INSTALL_MISMATCH", "Other thumbprints", 2, at);
        expected.put(dev(id, "d1"), "ERROR");
        return new Scenario(p, q, r, n, a, b, c, d, expected);
    }

    private static String dev(String id, String name) {
        return "dev-" + id + "-" + name;
    }

    private static JsonPath page(String policyId, Map<String, ?> query) {
        return given().queryParams(query).get("/api/reports/policies/{id}/devices", policyId)
                .then().statusCode(200).extract().jsonPath();
    }

    private static List<String> deviceIds(String policyId, Map<String, ?> query) {
        Map<String, Object> all = new LinkedHashMap<>(query);
        all.put("limit", 500);
        return page(policyId, all).getList("rows.deviceId", String.class);
    }

    @Test
    void policySummaryCountsEveryState() throws IOException {
        Scenario s = scenario();
        String body = given().get("/api/reports/policies/{id}", s.policy()).then().statusCode(200).extract().asString();
        JsonPath report = JsonPath.from(body);

        assertEquals(s.policy(), report.getString("policyId"));
        assertEquals("S/MIME v2", report.getString("policyName"));
        assertEquals(2, report.getInt("policyVersion"));
        assertEquals(3, report.getInt("assignedUsers"));
        assertEquals(1, report.getInt("counts.succeeded"));
        assertEquals(6, report.getInt("counts.pending"));
        assertEquals(2, report.getInt("counts.error"));
        assertEquals(2, report.getInt("counts.conflict"));
        assertEquals(3, report.getInt("counts.notApplicable"));
        assertEquals(2, report.getInt("counts.removed"));
        assertEquals(16, report.getInt("counts.total"));

        Map<String, Integer> byState = report.getMap("byState", String.class, Integer.class);
        List<String> stateOrder = new ArrayList<>();
        EventJson.mapper().readTree(body).get("byState").fieldNames().forEachRemaining(stateOrder::add);
        assertEquals(List.of("PENDING", "READY", "NOTIFIED", "RETRIEVED", "INSTALLED", "FAILED", "REMOVED", "NONE"),
                stateOrder);
        assertEquals(Map.of("PENDING", 1, "READY", 1, "NOTIFIED", 1, "RETRIEVED", 1, "INSTALLED", 2, "FAILED", 3,
                "REMOVED", 2, "NONE", 5), byState);
        assertEquals(Map.of("DEVICE_RETIRED", 1, "EMAIL_MISMATCH", 1, "INSTALL_MISMATCH", 1, "NO_SIGNING_CERTIFICATE", 1,
                "USER_LEFT_GROUP", 1), report.getMap("byReasonCode", String.class, Integer.class));
    }

    @Test
    void conflictingPolicyIsReportedToo() {
        Scenario s = scenario();
        JsonPath report = given().get("/api/reports/policies/{id}", s.conflictingPolicy()).then().statusCode(200)
                .extract().jsonPath();
        // User B's b1 (NOTIFIED), b3 and b4 (no status) are in conflict, and b2 (Windows) is not applicable.
        assertEquals(3, report.getInt("counts.conflict"));
        assertEquals(1, report.getInt("counts.notApplicable"));
        assertEquals(4, report.getInt("counts.total"));

        JsonPath same = given().get("/api/reports/policies/{id}", s.samePolicy()).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(0, same.getInt("counts.conflict"));
        assertEquals(2, same.getInt("counts.pending"));
    }

    @Test
    void deviceRowsCarryEveryField() {
        Scenario s = scenario();
        JsonPath page = page(s.policy(), Map.of("limit", 500));
        assertEquals(16, page.getInt("total"));
        assertEquals(500, page.getInt("limit"));
        assertEquals(0, page.getInt("offset"));

        List<String> ids = page.getList("rows.deviceId", String.class);
        assertEquals(s.expected().keySet().stream().sorted().toList(), ids);
        List<String> states = page.getList("rows.intuneState", String.class);
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(s.expected().get(ids.get(i)), states.get(i), "report state of " + ids.get(i));
        }

        Map<String, Object> a1 = page.getMap("rows[0]");
        assertEquals(s.userA(), a1.get("userId"));
        assertEquals("a@contoso.example", a1.get("userPrincipalName"));
        assertEquals("a.mail@contoso.example", a1.get("email"));
        assertEquals("iOS", a1.get("platform"));
        assertEquals("iPhone16,2", a1.get("model"));
        assertEquals("INSTALLED", a1.get("state"));
        assertNull(a1.get("reasonCode"));
        assertEquals("Installed", a1.get("detail"));
        assertEquals(2, a1.get("policyVersion"));
        assertEquals("2025-03-04T05:06:07.123456Z", a1.get("updatedAt"));

        Map<String, Object> a3 = page.getMap("rows[2]");
        assertEquals("Android", a3.get("platform"));
        assertNull(a3.get("state"));
        assertNull(a3.get("policyVersion"));
        assertNull(a3.get("updatedAt"));

        Map<String, Object> d1 = page.getMap("rows[15]");
        assertEquals(s.userD(), d1.get("userId"));
        assertNull(d1.get("userPrincipalName"));
        assertNull(d1.get("platform"));
        assertEquals("INSTALL_MISMATCH", d1.get("reasonCode"));
    }

    @Test
    void filtersSelectMatchingRows() {
        Scenario s = scenario();
        String p = s.policy();
        assertEquals(s.devices("NOT_APPLICABLE"), deviceIds(p, Map.of("intuneState", "NOT_APPLICABLE")));
        assertEquals(s.devices("NOT_APPLICABLE"), deviceIds(p, Map.of("intuneState", "notApplicable")));
        assertEquals(s.devices("CONFLICT"), deviceIds(p, Map.of("intuneState", "Conflict")));
        assertEquals(s.devices("REMOVED"), deviceIds(p, Map.of("intuneState", "REMOVED")));
        assertEquals(s.devices("ERROR", "CONFLICT"), deviceIds(p, Map.of("intuneState", List.of("ERROR", "CONFLICT"))));

        List<String> noState = deviceIds(p, Map.of("state", "NONE"));
        assertEquals(5, noState.size());
        assertEquals(3, deviceIds(p, Map.of("state", "failed")).size());
        assertEquals(List.of(dev(s, "d1")), deviceIds(p, Map.of("reasonCode", "INSTALL_MISMATCH")));
        assertEquals(List.of(dev(s, "b1"), dev(s, "b2"), dev(s, "b3"), dev(s, "b4")),
                deviceIds(p, Map.of("userId", s.userB())));
        assertEquals(List.of(dev(s, "a7"), dev(s, "a8"), dev(s, "a9"), dev(s, "aa")),
                deviceIds(p, Map.of("userId", s.userA(), "intuneState", "PENDING")));
        assertEquals(List.of(dev(s, "a8"), dev(s, "aa")),
                deviceIds(p, Map.of("userId", s.userA(), "intuneState", "PENDING", "state", "NONE")));
        assertEquals(List.of(), deviceIds(p, Map.of("userId", "usr-nobody")));

        // Blank values do not filter.
        assertEquals(16, page(p, Map.of("intuneState", "", "userId", " ")).getInt("total"));
    }

    private static String dev(Scenario s, String name) {
        return "dev-" + s.policy().substring("pol-".length()) + "-" + name;
    }

    @Test
    void pagesSliceTheOrderedRows() {
        Scenario s = scenario();
        List<String> all = deviceIds(s.policy(), Map.of());
        List<String> joined = new ArrayList<>();
        for (int offset = 0; offset < 20; offset += 5) {
            JsonPath page = page(s.policy(), Map.of("limit", 5, "offset", offset));
            assertEquals(16, page.getInt("total"), "total at offset " + offset);
            assertEquals(5, page.getInt("limit"));
            assertEquals(offset, page.getInt("offset"));
            joined.addAll(page.getList("rows.deviceId", String.class));
        }
        assertEquals(all, joined);

        JsonPath defaults = page(s.policy(), Map.of());
        assertEquals(100, defaults.getInt("limit"));
        assertEquals(16, defaults.getList("rows").size());

        JsonPath beyond = page(s.policy(), Map.of("offset", 100));
        assertEquals(16, beyond.getInt("total"));
        assertEquals(0, beyond.getList("rows").size());

        JsonPath filtered = page(s.policy(), Map.of("intuneState", "PENDING", "limit", 4, "offset", 4));
        assertEquals(6, filtered.getInt("total"));
        assertEquals(s.devices("PENDING").subList(4, 6), filtered.getList("rows.deviceId", String.class));
    }

    /** A request that must be rejected, and the parameter and value the problem must name. */
    private record BadQuery(String path, Map<String, String> query, String field, String value, String hint) {
    }

    @Test
    void invalidQueriesGetProblems() {
        Scenario s = scenario();
        String devices = "/api/reports/policies/" + s.policy() + "/devices";
        List<BadQuery> cases = List.of(
                new BadQuery(devices, Map.of("intuneState", "DONE"), "intuneState", "DONE", "NOT_APPLICABLE"),
                new BadQuery(devices, Map.of("intuneState", "PENDING,ERROR"), "intuneState", "PENDING,ERROR", "repeat"),
                new BadQuery(devices, Map.of("state", "BOGUS"), "state", "BOGUS", "RETRIEVED"),
                new BadQuery(devices, Map.of("reasonCode", "bad code!"), "reasonCode", "bad code!", "INSTALL_MISMATCH"),
                new BadQuery(devices, Map.of("limit", "0"), "limit", "0", "1 to 500"),
                new BadQuery(devices, Map.of("limit", "501"), "limit", "501", "1 to 500"),
                new BadQuery(devices, Map.of("limit", "many"), "limit", "many", "1 to 500"),
                new BadQuery(devices, Map.of("offset", "-1"), "offset", "-1", "0 or more"),
                new BadQuery(devices, Map.of("intunestate", "ERROR"), "intunestate", "ERROR", "intuneState"),
                new BadQuery(devices + ".csv", Map.of("state", "DONE"), "state", "DONE", "NONE"),
                new BadQuery(devices + ".csv", Map.of("limit", "5"), "limit", "5", "userId"),
                new BadQuery("/api/reports/policies/" + s.policy(), Map.of("state", "FAILED"), "state", "FAILED",
                        "no query parameters"),
                new BadQuery("/api/reports/users/" + s.userA(), Map.of("x", "1"), "x", "1", "no query parameters"));
        for (BadQuery bad : cases) {
            Response response = given().queryParams(bad.query()).get(bad.path());
            String label = bad.path() + " " + bad.query();
            assertEquals(400, response.statusCode(), label);
            assertTrue(response.contentType().startsWith("application/problem+json"), label + ": " + response.contentType());
            JsonPath problem = response.jsonPath();
            assertEquals(bad.field(), problem.getString("errors[0].field"), label);
            assertEquals(bad.value(), problem.getString("errors[0].value"), label);
            assertTrue(problem.getString("errors[0].message").contains(bad.hint()), label + ": "
                    + problem.getString("errors[0].message"));
            assertTrue(problem.getString("detail").contains(bad.field()), label);
        }

        // Every invalid parameter is listed at once.
        given().queryParams(Map.of("intuneState", "DONE", "limit", "0")).get(devices).then().statusCode(400)
                .body("errors.size()", equalTo(2));
    }

    @Test
    void unknownPolicyAndUserAreNotFound() {
        given().get("/api/reports/policies/{id}", "pol-missing").then().statusCode(404)
                .contentType(containsString("application/problem+json")).body("detail", containsString("pol-missing"));
        given().get("/api/reports/policies/{id}/devices", "pol-missing").then().statusCode(404);
        given().get("/api/reports/policies/{id}/devices.csv", "pol-missing").then().statusCode(404)
                .contentType(containsString("application/problem+json"));
        given().get("/api/reports/users/{id}", "usr-missing").then().statusCode(404)
                .body("detail", containsString("usr-missing"));
    }

    @Test
    void everyComparedSettingCausesConflict() {
        ReportFixtures fixtures = new ReportFixtures(dataSource);
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("signingProfileType", "DERIVED_CREDENTIAL");
        changes.put("encryptionProfileType", "DERIVED_CREDENTIAL");
        changes.put("smimeEnabled", false);
        changes.put("smimeUserChangeAllowed", true);
        changes.put("encryptAllMail", true);
        changes.put("encryptAllMailUserChangeAllowed", false);
        changes.put("signAllMail", false);
        changes.put("signAllMailUserChangeAllowed", true);
        assertEquals(PolicyConflicts.SETTINGS, new ArrayList<>(changes.keySet()));

        for (Map.Entry<String, Object> change : changes.entrySet()) {
            String id = UUID.randomUUID().toString().substring(0, 8);
            String user = "usr-" + id;
            String first = "pol-" + id;
            String second = "pol2-" + id;
            ObjectNode other = ReportFixtures.deployingSettings();
            other.putPOJO(change.getKey(), change.getValue());
            fixtures.assign(user, first, 1, "First", ReportFixtures.deployingSettings());
            fixtures.assign(user, second, 1, "Second", other);
            fixtures.device("dev-" + id, user, "iOS", "MANAGED", null, false);
            fixtures.status("dev-" + id, first, user, "INSTALLED", null, null, 1, Instant.now());

            JsonPath report = given().get("/api/reports/users/{id}", user).then().statusCode(200).extract().jsonPath();
            String setting = change.getKey();
            assertEquals(List.of(first, second), report.getList("policies.policyId", String.class), setting);
            assertEquals(List.of(setting), report.getList("policies[0].conflictingSettings", String.class), setting);
            assertEquals(List.of(setting), report.getList("policies[1].conflictingSettings", String.class), setting);
            assertEquals("CONFLICT", report.getString("policies[0].devices[0].intuneState"), setting);
            assertEquals("INSTALLED", report.getString("policies[0].devices[0].state"), setting);
            assertEquals("CONFLICT", report.getString("policies[1].devices[0].intuneState"), setting);
            given().get("/api/reports/policies/{id}", first).then().statusCode(200)
                    .body("counts.conflict", equalTo(1)).body("counts.succeeded", equalTo(0));
        }
    }

    @Test
    void userReportShowsDevicesAndPolicies() {
        Scenario s = scenario();
        JsonPath b = given().get("/api/reports/users/{id}", s.userB()).then().statusCode(200).extract().jsonPath();
        assertEquals("b@contoso.example", b.getString("userPrincipalName"));
        assertEquals(List.of(dev(s, "b1"), dev(s, "b2"), dev(s, "b3"), dev(s, "b4")),
                b.getList("devices.deviceId", String.class));
        assertEquals(List.of(true, false, true, true), b.getList("devices.eligible", Boolean.class));
        assertEquals(List.of(s.policy(), s.conflictingPolicy()), b.getList("policies.policyId", String.class));
        assertEquals(List.of("signAllMail"), b.getList("policies[0].conflictingSettings", String.class));
        assertEquals(List.of("signAllMail"), b.getList("policies[1].conflictingSettings", String.class));
        assertEquals("Executives", b.getString("policies[1].policyName"));
        assertEquals(List.of("CONFLICT", "NOT_APPLICABLE", "REMOVED", "CONFLICT"),
                b.getList("policies[0].devices.intuneState", String.class));
        assertEquals(List.of("CONFLICT", "NOT_APPLICABLE", "CONFLICT", "CONFLICT"),
                b.getList("policies[1].devices.intuneState", String.class));
        assertEquals("NOTIFIED", b.getString("policies[1].devices[0].state"));

        JsonPath c = given().get("/api/reports/users/{id}", s.userC()).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(s.policy(), s.settingsOnlyPolicy(), s.samePolicy()), c.getList("policies.policyId", String.class));
        assertEquals(List.of(true, false, true), c.getList("policies.deploysCertificates", Boolean.class));
        for (int i = 0; i < 3; i++) {
            assertEquals(List.of(), c.getList("policies[" + i + "].conflictingSettings", String.class), "policy " + i);
        }
        assertEquals(List.of("PENDING", "PENDING"), c.getList("policies[0].devices.intuneState", String.class));
        // The settings-only policy deploys no certificates, so its devices have nothing to receive.
        assertEquals(List.of("NOT_APPLICABLE", "NOT_APPLICABLE"), c.getList("policies[1].devices.intuneState", String.class));
        assertEquals(List.of("PENDING", "PENDING"), c.getList("policies[2].devices.intuneState", String.class));

        // User D is known only from a status: the policy shows as no longer assigned.
        JsonPath d = given().get("/api/reports/users/{id}", s.userD()).then().statusCode(200).extract().jsonPath();
        assertNull(d.getString("userPrincipalName"));
        assertEquals(List.of(), d.getList("devices"));
        assertEquals(false, d.getBoolean("policies[0].assigned"));
        assertNull(d.get("policies[0].policyName"));
        assertEquals("ERROR", d.getString("policies[0].devices[0].intuneState"));

        JsonPath a = given().get("/api/reports/users/{id}", s.userA()).then().statusCode(200).extract().jsonPath();
        // The retired a4 has no status, so it appears among the devices but in no policy.
        assertEquals(10, a.getList("devices").size());
        assertEquals(List.of(false), a.getList("devices.findAll { it.deviceId == '" + dev(s, "a4") + "' }.eligible",
                Boolean.class));
        assertEquals(9, a.getList("policies[0].devices").size());
        assertNotNull(a.getString("policies[0].devices[0].updatedAt"));
    }

    @Test
    void csvExportMatchesJsonRows() throws IOException {
        Scenario s = scenario();
        Response response = given().get("/api/reports/policies/{id}/devices.csv", s.policy());
        assertEquals(200, response.statusCode());
        assertTrue(response.contentType().toLowerCase().startsWith("text/csv"), response.contentType());
        assertTrue(response.contentType().toLowerCase().contains("charset=utf-8"), response.contentType());
        assertEquals("attachment; filename=\"policy-" + s.policy() + "-devices.csv\"",
                response.header("Content-Disposition"));

        String body = response.asString();
        assertTrue(body.startsWith(String.join(",", CSV_HEADER) + "\r\n"), body);
        assertTrue(body.contains("\"Sent \"\"mail\"\", then\nretried, twice\""), body);
        assertTrue(body.contains(",\"'=HYPERLINK(\"\"http://example.invalid\"\",\"\"open\"\")\","), body);

        List<List<String>> records = parseCsv(body);
        assertEquals(CSV_HEADER, records.get(0));
        List<Map<String, Object>> rows = page(s.policy(), Map.of("limit", 500)).getList("rows");
        assertEquals(rows.size(), records.size() - 1);
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(expectedCsv(rows.get(i)), records.get(i + 1), "row " + i);
        }

        Map<String, List<String>> byDevice = new LinkedHashMap<>();
        records.subList(1, records.size()).forEach(record -> byDevice.put(record.get(0), record));
        assertEquals(C1_DETAIL, byDevice.get(dev(s, "c1")).get(9));
        assertEquals("'" + C1_MODEL, byDevice.get(dev(s, "c1")).get(5));
        assertEquals("'+c@contoso.example", byDevice.get(dev(s, "c1")).get(2));
        assertEquals("'@SUM(A1)", byDevice.get(dev(s, "c2")).get(5));
        assertEquals("'-1 day left", byDevice.get(dev(s, "c2")).get(9));

        String pending = given().queryParam("intuneState", "PENDING").get("/api/reports/policies/{id}/devices.csv", s.policy())
                .then().statusCode(200).extract().asString();
        List<List<String>> pendingRecords = parseCsv(pending);
        assertEquals(s.devices("PENDING"), pendingRecords.subList(1, pendingRecords.size()).stream()
                .map(record -> record.get(0)).toList());
    }

    @Test
    void csvExportStreamsEveryRow() throws IOException {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String user = "usr-" + id;
        String policy = "pol " + id + " \"big\"";
        int devices = 2345;
        ReportFixtures fixtures = new ReportFixtures(dataSource);
        fixtures.assign(user, policy, 1, "Big", ReportFixtures.deployingSettings());
        Sql sql = new Sql(dataSource, "Report fixture");
        sql.update("INSERT INTO device (device_id, user_id, platform, os_version, management_state, public_key_pem,"
                + " enrolled_at, updated_at) SELECT 'dev-' || ? || '-' || lpad(n::text, 5, '0'), ?, 'iOS', '18.1',"
                + " 'MANAGED', 'unused', now(), now() FROM generate_series(1, ?) AS n", id, user, devices);
        sql.update("INSERT INTO device_status (device_id, policy_id, user_id, facts, state, policy_version, updated_at)"
                + " SELECT 'dev-' || ? || '-' || lpad(n::text, 5, '0'), ?, ?, '{}'::jsonb, 'INSTALLED', 1, ?"
                + " FROM generate_series(1, ?, 2) AS n", id, policy, user,
                Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MILLIS)), devices);

        Response response = given().get("/api/reports/policies/{id}/devices.csv", policy);
        assertEquals(200, response.statusCode());
        assertEquals("attachment; filename=\"policy-pol_" + id + "__big_-devices.csv\"",
                response.header("Content-Disposition"));
        List<List<String>> records = parseCsv(response.asString());
        assertEquals(devices + 1, records.size());

        List<String> jsonIds = new ArrayList<>();
        for (int offset = 0; offset < devices; offset += 500) {
            jsonIds.addAll(page(policy, Map.of("limit", 500, "offset", offset)).getList("rows.deviceId", String.class));
        }
        assertEquals(jsonIds, records.subList(1, records.size()).stream().map(record -> record.get(0)).toList());
        assertEquals(1173, records.stream().filter(record -> record.get(6).equals("SUCCEEDED")).count());
        assertEquals(1172, records.stream().filter(record -> record.get(6).equals("PENDING")).count());
    }

    /** Returns the CSV values a JSON row must have: null as empty, and formula-like text prefixed with a quote. */
    private static List<String> expectedCsv(Map<String, Object> row) {
        List<String> values = new ArrayList<>();
        for (String column : CSV_HEADER) {
            Object value = row.get(column);
            String text = value == null ? "" : value.toString();
            values.add(!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text);
        }
        return values;
    }

    private static List<List<String>> parseCsv(String body) throws IOException {
        CsvMapper mapper = new CsvMapper();
        List<List<String>> records = new ArrayList<>();
        try (MappingIterator<String[]> iterator = mapper.readerFor(String[].class).with(CsvParser.Feature.WRAP_AS_ARRAY)
                .readValues(body)) {
            while (iterator.hasNext()) {
                records.add(Arrays.asList(iterator.next()));
            }
        }
        return records;
    }
}
