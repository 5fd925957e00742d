package io.smimedelivery.events.appconfig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smimedelivery.events.appconfig.PlistTestParser.ParsedPlist;
import io.smimedelivery.events.appconfig.SamplePolicies.Sample;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OutlookAppConfigPlistTest {

    private static final String EXPECTED_PROLOG = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
            <plist version="1.0">
            <dict>
            """;

    static Stream<Sample> samples() {
        return SamplePolicies.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void plistParsesBackToSameMap(Sample sample) throws Exception {
        ParsedPlist parsed = PlistTestParser.parse(OutlookAppConfig.toPlist(OutlookAppConfig.keys(sample.settings())));

        assertEquals(sample.expected(), parsed.entries());
        assertEquals(new ArrayList<>(sample.expected().keySet()), new ArrayList<>(parsed.entries().keySet()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void plistHasAppleHeader(Sample sample) throws Exception {
        String plist = OutlookAppConfig.toPlist(OutlookAppConfig.keys(sample.settings()));
        ParsedPlist parsed = PlistTestParser.parse(plist);

        assertTrue(plist.startsWith(EXPECTED_PROLOG), plist);
        assertTrue(plist.endsWith("</dict>\n</plist>\n"), plist);
        assertEquals("-//Apple//DTD PLIST 1.0//EN", parsed.publicId());
        assertEquals("http://www.apple.com/DTDs/PropertyList-1.0.dtd", parsed.systemId());
        assertEquals("1.0", parsed.version());
    }

    @Test
    void plistMatchesGoldenFile() throws IOException {
        String plist = OutlookAppConfig.toPlist(OutlookAppConfig.keys(SamplePolicies.fullPolicyWithLdap().settings()));

        assertEquals(readResource("/appconfig/full-policy.plist"), plist);
    }

    @Test
    void plistBooleansAreEmptyElements() {
        String plist = OutlookAppConfig.toPlist(OutlookAppConfig.keys(SamplePolicies.signOnlyNoUserChange().settings()));

        assertTrue(plist.contains("\t<key>com.microsoft.outlook.Mail.SMIMEEnabled</key>\n\t<true/>\n"), plist);
        assertTrue(plist.contains(
                "\t<key>com.microsoft.outlook.Mail.SMIMEEnabled.UserChangeAllowed</key>\n\t<false/>\n"), plist);
        assertFalse(plist.contains("<string>true</string>"), plist);
        assertFalse(plist.contains("<string>false</string>"), plist);
    }

    @Test
    void plistEscapesLdapValue() throws Exception {
        Sample sample = SamplePolicies.ldapValueNeedingEscapes();
        String plist = OutlookAppConfig.toPlist(OutlookAppConfig.keys(sample.settings()));

        String expectedElement = "<string>ldaps://ldap.example.it:636/ou=R&amp;D,o=\"Rossi &amp; Figli\""
                + " &lt;S.p.A.&gt;,c=it?'cert']]&gt;</string>";
        assertTrue(plist.contains(expectedElement), plist);
        assertEquals(SamplePolicies.LDAP_URL_NEEDING_ESCAPES,
                PlistTestParser.parse(plist).entries().get(SamplePolicies.LDAP_HOST));
    }

    @Test
    void plistKeepsCarriageReturnAndTab() throws Exception {
        String value = "line one\r\nline two\ttabbed\rend";
        String plist = OutlookAppConfig.toPlist(SamplePolicies.ordered("com.example.Text", value));

        assertTrue(plist.contains("line one&#13;\nline two\ttabbed&#13;end"), plist);
        assertEquals(value, PlistTestParser.parse(plist).entries().get("com.example.Text"));
    }

    @Test
    void plistKeepsNonAsciiCharacters() throws Exception {
        String value = "ldaps://rubrica.comune-città.example.it/ou=Übersicht,cn=\uD83D\uDD12";
        String plist = OutlookAppConfig.toPlist(SamplePolicies.ordered("com.example.Text", value));

        assertEquals(value, PlistTestParser.parse(plist).entries().get("com.example.Text"));
    }

    @Test
    void plistEscapesKeyNames() throws Exception {
        Map<String, Object> keys = SamplePolicies.ordered("com.example.A&B<C>", true);
        String plist = OutlookAppConfig.toPlist(keys);

        assertTrue(plist.contains("<key>com.example.A&amp;B&lt;C&gt;</key>"), plist);
        assertEquals(keys, PlistTestParser.parse(plist).entries());
    }

    @Test
    void plistIsDeterministic() {
        OutlookSmimeSettings settings = SamplePolicies.ldapValueNeedingEscapes().settings();

        byte[] first = OutlookAppConfig.toPlist(OutlookAppConfig.keys(settings)).getBytes(StandardCharsets.UTF_8);
        byte[] second = OutlookAppConfig.toPlist(OutlookAppConfig.keys(settings)).getBytes(StandardCharsets.UTF_8);

        assertArrayEquals(first, second);
    }

    @Test
    void plistOfEmptyMapHasEmptyDict() throws Exception {
        String plist = OutlookAppConfig.toPlist(Map.of());

        assertEquals(EXPECTED_PROLOG + "</dict>\n</plist>\n", plist);
        assertTrue(PlistTestParser.parse(plist).entries().isEmpty());
    }

    @Test
    void plistRejectsControlCharacter() {
        Map<String, Object> keys = SamplePolicies.ordered(SamplePolicies.LDAP_HOST, "ldaps://ldap\u0001.example.it");

        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> OutlookAppConfig.toPlist(keys));

        assertTrue(error.getMessage().contains("U+0001"), error.getMessage());
        assertTrue(error.getMessage().contains(SamplePolicies.LDAP_HOST), error.getMessage());
    }

    @Test
    void plistRejectsLoneSurrogate() {
        Map<String, Object> keys = SamplePolicies.ordered("com.example.Text", "broken \uD800 value");

        assertThrows(IllegalArgumentException.class, () -> OutlookAppConfig.toPlist(keys));
    }

    @Test
    void plistRejectsNonStringNonBooleanValue() {
        Map<String, Object> keys = SamplePolicies.ordered("com.example.Count", 3L);

        assertThrows(IllegalArgumentException.class, () -> OutlookAppConfig.toPlist(keys));
    }

    private static String readResource(String path) throws IOException {
        try (InputStream in = OutlookAppConfigPlistTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("Test resource not found: " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
