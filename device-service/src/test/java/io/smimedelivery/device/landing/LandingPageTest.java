package io.smimedelivery.device.landing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smimedelivery.infra.InfrastructureTestResource;

/** The landing page in both languages and in every state, with rows inserted as the consumers store them. */
@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "device"))
class LandingPageTest {

    static final String CURRENT_THUMBPRINT = "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12";
    static final String OLD_THUMBPRINT = "0011223344556677889900112233445566778899001122334455667788990011";
    static final String SIGNING_THUMBPRINT = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
    static final String CURRENT_SERIAL = "7d3a0c9b11e2";

    @Inject
    DataSource dataSource;

    private LandingRows rows;
    private String deviceId;
    private String userId;

    @BeforeEach
    void setUp() {
        rows = new LandingRows(dataSource);
        String suffix = UUID.randomUUID().toString();
        deviceId = "dev-" + suffix;
        userId = "usr-" + suffix;
    }

    /** Stores a device in READY with two encryption certificates and an imported signing certificate. */
    static void readyDevice(LandingRows rows, String deviceId, String userId, String language) {
        rows.device(deviceId, userId, "iPhone16,2");
        rows.contact(userId, language);
        rows.policy(userId, "pol-mail", "Posta firmata e crittografata");
        String packageId = "pkg-" + deviceId;
        rows.packageInfo(packageId, deviceId, "pol-mail", "["
                + LandingRows.certificate(CURRENT_THUMBPRINT, "ENCRYPTION", CURRENT_SERIAL, "2027-03-12T10:00:00Z", true)
                + ", " + LandingRows.certificate(OLD_THUMBPRINT, "ENCRYPTION", "1a2b", "2025-01-31T10:00:00Z", false)
                + ", " + LandingRows.certificate(SIGNING_THUMBPRINT, "SIGNING", "3c4d", "2026-11-05T10:00:00Z", false)
                + "]", "IMPORTED_PKCS");
        rows.status(deviceId, "pol-mail", userId, "READY", null, null, packageId);
    }

    private Response page(String deviceId, String... query) {
        var request = given();
        for (int i = 0; i + 1 < query.length; i += 2) {
            request = request.queryParam(query[i], query[i + 1]);
        }
        return request.get("/landing/{deviceId}", deviceId);
    }

    @Test
    void readyPageInItalian() {
        readyDevice(rows, deviceId, userId, "it-IT");

        Response response = page(deviceId);
        response.then().statusCode(200)
                .header("Content-Type", equalTo("text/html;charset=UTF-8"))
                .header("Cache-Control", equalTo("no-store"))
                .header("Content-Security-Policy", containsString("default-src 'none'"));
        String html = response.asString();

        assertTrue(html.contains("<html lang=\"it\">"), html);
        assertTrue(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
        assertTrue(html.contains("Certificati S/MIME"));
        assertTrue(html.contains("iOS · iPhone16,2"));
        assertTrue(html.contains("Posta firmata e crittografata"));
        assertTrue(html.contains("Pronti da installare"));
        assertTrue(html.contains("Apri Company Portal su questo dispositivo per installarli."));
        assertTrue(html.contains("Crittografia: 2 certificati."));
        assertTrue(html.contains("Quello in uso (AB12CD34…) è valido fino al 12 marzo 2027."));
        assertTrue(html.contains("Quello precedente resta sul dispositivo per leggere la posta crittografata in passato."));
        assertTrue(html.contains("Firma: il certificato è incluso nel pacchetto ed è valido fino al 5 novembre 2026."));
        assertTrue(html.contains("Ultimo aggiornamento: 3 marzo 2026, 13:05 UTC"));
        // Qute escapes the apostrophe in HTML templates.
        assertTrue(html.contains("Per qualsiasi domanda, rivolgiti all&#39;helpdesk IT."), html);
    }

    @Test
    void pageShowsNoSecretOrPersonalData() {
        readyDevice(rows, deviceId, userId, "it");

        String html = page(deviceId).then().statusCode(200).extract().asString();

        assertFalse(html.contains(CURRENT_THUMBPRINT), "full thumbprint");
        assertFalse(html.contains(CURRENT_THUMBPRINT.toUpperCase()), "full thumbprint in upper case");
        assertFalse(html.contains(OLD_THUMBPRINT.substring(0, 8)), "thumbprint of an older certificate");
        assertFalse(html.contains(CURRENT_SERIAL), "serial number");
        assertFalse(html.contains("F2LXK0ABCD12"), "device serial number");
        assertFalse(html.contains("@contoso.example"), "e-mail address or user principal name");
        assertFalse(html.contains(userId), "user id");
        assertFalse(html.contains("<script"), "script");
        assertFalse(html.contains("http://") || html.contains("https://"), "external resource");
    }

    @Test
    void langParameterOverridesUserLanguage() {
        readyDevice(rows, deviceId, userId, "it");

        String html = page(deviceId, "lang", "en").then().statusCode(200).extract().asString();

        assertTrue(html.contains("<html lang=\"en\">"), html);
        assertTrue(html.contains("S/MIME certificates"));
        assertTrue(html.contains("Ready to install"));
        assertTrue(html.contains("Open Company Portal on this device to install them."));
        assertTrue(html.contains("Encryption: 2 certificates."));
        assertTrue(html.contains("The one in use (AB12CD34…) is valid until 12 March 2027."));
        assertTrue(html.contains("The previous one stays on the device so you can read older encrypted mail."));
        assertTrue(html.contains("Signing: the certificate is included in the package and is valid until 5 November 2026."));
        assertTrue(html.contains("Last updated: 3 March 2026, 13:05 UTC"));
        assertFalse(html.contains("Pronti da installare"));
    }

    @Test
    void unsupportedLangParameterIsIgnored() {
        readyDevice(rows, deviceId, userId, "en-GB");

        String html = page(deviceId, "lang", "fr").then().statusCode(200).extract().asString();

        assertTrue(html.contains("<html lang=\"en\">"), html);
        assertTrue(html.contains("Ready to install"));
    }

    @Test
    void installedPageInEnglish() {
        rows.device(deviceId, userId, "iPhone15,3");
        rows.contact(userId, "en-US");
        rows.policy(userId, "pol-scep", "Signed mail");
        rows.packageInfo("pkg-" + deviceId, deviceId, "pol-scep", "["
                + LandingRows.certificate(CURRENT_THUMBPRINT, "ENCRYPTION", CURRENT_SERIAL, "2027-03-12T10:00:00Z", true)
                + ", " + LandingRows.certificate(OLD_THUMBPRINT, "TRUSTED_ROOT", "9f", "2035-01-01T00:00:00Z", false)
                + "]", "SCEP");
        rows.status(deviceId, "pol-scep", userId, "INSTALLED", null, null, "pkg-" + deviceId);

        String html = page(deviceId).then().statusCode(200).extract().asString();

        assertTrue(html.contains("<html lang=\"en\">"), html);
        assertTrue(html.contains("iOS · iPhone15,3"));
        assertTrue(html.contains("Signed mail"));
        assertTrue(html.contains(">Installed<"));
        assertTrue(html.contains("Nothing to do: Outlook can sign and encrypt your mail with S/MIME."));
        assertTrue(html.contains("Encryption: one certificate. The one in use (AB12CD34…) is valid until 12 March 2027."));
        assertFalse(html.contains("previous"), "no older encryption certificate");
        assertTrue(html.contains("Signing: the device requests its own certificate through SCEP."));
    }

    @Test
    void installedPageInItalian() {
        rows.device(deviceId, userId, "iPhone15,3");
        rows.contact(userId, "it");
        rows.policy(userId, "pol-derived", "Credenziale derivata");
        rows.packageInfo("pkg-" + deviceId, deviceId, "pol-derived", "["
                + LandingRows.certificate(CURRENT_THUMBPRINT, "ENCRYPTION", CURRENT_SERIAL, "2027-03-12T10:00:00Z", true)
                + "]", "DERIVED_CREDENTIAL");
        rows.status(deviceId, "pol-derived", userId, "INSTALLED", null, null, "pkg-" + deviceId);

        String html = page(deviceId).then().statusCode(200).extract().asString();

        assertTrue(html.contains(">Installati<"), html);
        assertTrue(html.contains("Non devi fare nulla: Outlook può firmare e crittografare la tua posta con S/MIME."));
        assertTrue(html.contains("Crittografia: un certificato."));
        assertTrue(html.contains("Firma: si usa la credenziale derivata già presente sul dispositivo."));
    }

    @Test
    void failedEmailMismatchInBothLanguages() {
        rows.device(deviceId, userId, "iPhone16,2");
        rows.contact(userId, "it");
        rows.policy(userId, "pol-mail", "Posta S/MIME");
        rows.status(deviceId, "pol-mail", userId, "FAILED", "EMAIL_MISMATCH",
                "Set the mail attribute of the user in the directory", null);

        String italian = page(deviceId).then().statusCode(200).extract().asString();
        assertTrue(italian.contains("Consegna non riuscita"), italian);
        assertTrue(italian.contains("L&#39;indirizzo di posta indicato nel certificato è diverso dal tuo."), italian);
        assertTrue(italian.contains("Rivolgiti all&#39;helpdesk IT."), italian);
        assertFalse(italian.contains("mail attribute"), "administrator detail");
        assertFalse(italian.contains("<ul>"), "no certificate list without a package");

        String english = page(deviceId, "lang", "en").then().statusCode(200).extract().asString();
        assertTrue(english.contains("Delivery failed"), english);
        assertTrue(english.contains("The e-mail address in the certificate does not match yours."));
        assertTrue(english.contains("Please contact your IT helpdesk."));
        assertFalse(english.contains("mail attribute"), "administrator detail");
    }

    @Test
    void everyFailureReasonHasItsOwnSentence() {
        rows.device(deviceId, userId, null);
        rows.contact(userId, "en");
        String[][] cases = {
                { "NO_ENCRYPTION_CERTIFICATE", "There is no encryption certificate for your e-mail address yet." },
                { "NO_SIGNING_CERTIFICATE", "There is no signing certificate for your e-mail address yet." },
                { "DEVICE_KEY_UNSUPPORTED", "This device does not support the required key type." },
                { "NOTIFICATION_FAILED", "let you know that the certificates are ready." },
                { "INSTALL_MISMATCH", "The certificates installed on the device are not the expected ones." },
                { "SOMETHING_NEW", "Something went wrong while preparing the certificates." },
        };
        for (String[] failure : cases) {
            String policyId = "pol-" + failure[0];
            rows.policy(userId, policyId, "Policy " + failure[0]);
            rows.status(deviceId, policyId, userId, "FAILED", failure[0], null, null);
        }

        for (String[] failure : cases) {
            String html = page(deviceId, "policy", "pol-" + failure[0]).then().statusCode(200).extract().asString();
            assertTrue(html.contains(failure[1]), failure[0] + ": " + html);
            assertTrue(html.contains(">iOS<"), "device label without a model");
        }
    }

    @Test
    void removedPolicyInBothLanguages() {
        rows.device(deviceId, userId, "iPhone16,2");
        rows.contact(userId, null);
        // The assignment row is deleted when a policy stops applying, so only the status row is left.
        rows.status(deviceId, "pol-old", userId, "REMOVED", "POLICY_UNASSIGNED", null, null);

        String italian = page(deviceId).then().statusCode(200).extract().asString();
        assertTrue(italian.contains("pol-old"), italian);
        assertTrue(italian.contains(">Rimossi<"));
        assertTrue(italian.contains("Questo criterio non si applica più al tuo account"));

        String english = page(deviceId, "lang", "en-GB").then().statusCode(200).extract().asString();
        assertTrue(english.contains(">Removed<"), english);
        assertTrue(english.contains("This policy no longer applies to your account"));
    }

    @Test
    void pendingBeforeFirstStatusRow() {
        rows.device(deviceId, userId, "iPhone16,2");
        rows.contact(userId, "en");
        rows.policy(userId, "pol-new", "New policy");

        String html = page(deviceId, "policy", "pol-new").then().statusCode(200).extract().asString();

        assertTrue(html.contains("Being prepared"), html);
        assertTrue(html.contains("You will be notified when they are ready."));
    }

    @Test
    void policyParameterSelectsOnePolicy() {
        rows.device(deviceId, userId, "iPhone16,2");
        rows.contact(userId, "en");
        rows.policy(userId, "pol-a", "Policy Alpha");
        rows.policy(userId, "pol-b", "Policy Beta");
        rows.status(deviceId, "pol-a", userId, "RETRIEVED", null, null, null);
        rows.status(deviceId, "pol-b", userId, "NOTIFIED", null, null, null);

        String both = page(deviceId).then().statusCode(200).extract().asString();
        assertTrue(both.contains("Policy Alpha"), both);
        assertTrue(both.contains("Policy Beta"), both);
        assertTrue(both.indexOf("Policy Alpha") < both.indexOf("Policy Beta"), "ordered by policy name");

        String beta = page(deviceId, "policy", "pol-b").then().statusCode(200).extract().asString();
        assertFalse(beta.contains("Policy Alpha"), beta);
        assertTrue(beta.contains("Ready to install, notification sent"));

        String alpha = page(deviceId, "policy", "pol-a").then().statusCode(200).extract().asString();
        assertTrue(alpha.contains("Downloaded to the device"), alpha);

        page(deviceId, "policy", "pol-missing").then().statusCode(404)
                .contentType(containsString("text/html"))
                .body(containsString("Device not found"))
                .body(containsString("This device has no S/MIME certificates for the policy named in the link."))
                .body(containsString("iOS · iPhone16,2"));
    }

    @Test
    void deviceWithoutPoliciesSaysSo() {
        rows.device(deviceId, userId, "iPhone16,2");

        page(deviceId).then().statusCode(200)
                .body(containsString("<html lang=\"it\">"))
                .body(containsString("Al momento non è previsto alcun certificato S/MIME per questo dispositivo."));
    }

    @Test
    void retiredDeviceGetsNotice() {
        readyDevice(rows, deviceId, userId, "it");
        rows.retire(deviceId);

        String italian = page(deviceId).then().statusCode(200).extract().asString();
        assertTrue(italian.contains("Dispositivo ritirato"), italian);
        assertTrue(italian.contains("non riceve più certificati S/MIME"));
        assertFalse(italian.contains("Pronti da installare"), "no status list");

        page(deviceId, "lang", "en").then().statusCode(200)
                .body(containsString("Device retired"))
                .body(containsString("This device is no longer managed by your organization"));
    }

    @Test
    void unknownDeviceGets404Page() {
        Response italian = page("dev-unknown-" + UUID.randomUUID());
        italian.then().statusCode(404)
                .header("Content-Type", equalTo("text/html;charset=UTF-8"))
                .body(containsString("<html lang=\"it\">"))
                .body(containsString("Dispositivo non trovato"))
                .body(containsString("Non troviamo il dispositivo a cui rimanda questo link."))
                .body(not(containsString("{landing:")));

        page("dev-unknown", "lang", "en").then().statusCode(404)
                .body(containsString("<html lang=\"en\">"))
                .body(containsString("Device not found"))
                .body(containsString("contact your IT helpdesk"));
    }

    @Test
    void storedTextIsEscaped() {
        rows.device(deviceId, userId, "<b>iPhone</b>");
        rows.contact(userId, "en");
        rows.policy(userId, "pol-x", "<script>alert(1)</script> & mail");
        rows.status(deviceId, "pol-x", userId, "READY", null, null, null);

        String html = page(deviceId).then().statusCode(200).extract().asString();

        assertFalse(html.contains("<script>"), html);
        assertFalse(html.contains("<b>iPhone"), html);
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; mail"), html);
    }

    @Test
    void shortThumbprintKeepsEightDigits() {
        assertEquals("AB12CD34…", LandingPages.shortThumbprint(CURRENT_THUMBPRINT));
        assertEquals("AB12", LandingPages.shortThumbprint("ab12"));
    }
}
