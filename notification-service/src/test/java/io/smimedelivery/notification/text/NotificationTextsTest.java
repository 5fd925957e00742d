package io.smimedelivery.notification.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smimedelivery.infra.InfrastructureTestResource;

@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = {
                @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "notification"),
                @ResourceArg(name = InfrastructureTestResource.SMTP_ARG, value = "true") })
class NotificationTextsTest {

    private static final List<String> REASON_CODES = List.of(NotificationTexts.NO_ENCRYPTION_CERTIFICATE,
            NotificationTexts.NO_SIGNING_CERTIFICATE, NotificationTexts.EMAIL_MISMATCH,
            NotificationTexts.DEVICE_KEY_UNSUPPORTED);

    @Inject
    NotificationTexts texts;

    @Test
    void defaultLanguageIsItalian() {
        assertEquals("it", texts.defaultLanguage());
        assertEquals("it", texts.language(null));
        assertEquals("it", texts.language("de-AT"));
        assertEquals("en", texts.language("en-GB"));
    }

    @Test
    void pushTextsInBothLanguages() {
        assertEquals("Certificati S/MIME pronti", texts.readyPush("it").title());
        assertEquals("S/MIME certificates ready", texts.readyPush("en").title());
        assertEquals("Certificati S/MIME non consegnati", texts.failedPush("it-IT").title());
        assertEquals("S/MIME certificates not delivered", texts.failedPush("en-US").title());
        assertTrue(texts.readyPush(null).body().contains("Company Portal"), texts.readyPush(null).body());
        assertTrue(texts.readyPush("en").body().contains("Company Portal"), texts.readyPush("en").body());
    }

    @Test
    void textsNonBlankAndTranslated() {
        for (String language : List.of("it", "en")) {
            List<String> all = List.of(
                    texts.readyPush(language).title(), texts.readyPush(language).body(),
                    texts.failedPush(language).title(), texts.failedPush(language).body(),
                    texts.readyListEntry(language, "P").title(), texts.readyListEntry(language, "P").body(),
                    texts.failedListEntry(language, "P", null).title(),
                    texts.failedListEntry(language, "P", null).body(),
                    texts.readySubject(language, "P"), texts.failedSubject(language, "P"),
                    texts.greeting(language, "Mario"), texts.greeting(language, null),
                    texts.failureReason(language, null));
            all.forEach(text -> assertFalse(text.isBlank(), language + ": blank text in " + all));
        }
        assertNotEquals(texts.readySubject("it", "P"), texts.readySubject("en", "P"));
        assertNotEquals(texts.failedListEntry("it", "P", null).body(), texts.failedListEntry("en", "P", null).body());
    }

    @Test
    void policyNameKeptVerbatim() {
        String policy = "Sede <Milano> & \"Roma\" — più sicura";

        assertTrue(texts.readySubject("it", policy).contains(policy), texts.readySubject("it", policy));
        assertTrue(texts.failedSubject("en", policy).contains(policy), texts.failedSubject("en", policy));
        assertTrue(texts.readyListEntry("it", policy).body().contains(policy), texts.readyListEntry("it", policy).body());
        assertTrue(texts.failedListEntry("en", policy, null).body().contains(policy));
    }

    @Test
    void reasonCodesHaveOwnSentences() {
        for (String language : List.of("it", "en")) {
            Set<String> sentences = new HashSet<>();
            for (String code : REASON_CODES) {
                sentences.add(texts.failureReason(language, code));
            }
            String generic = texts.failureReason(language, null);
            assertEquals(REASON_CODES.size(), sentences.size(), language + ": one sentence per code");
            assertFalse(sentences.contains(generic), language + ": known codes are not generic");
            assertEquals(generic, texts.failureReason(language, "UNKNOWN_CODE"));
        }
    }

    @Test
    void failedListEntryContainsReason() {
        String body = texts.failedListEntry("it", "Outlook S/MIME", NotificationTexts.EMAIL_MISMATCH).body();

        assertTrue(body.contains(texts.failureReason("it", NotificationTexts.EMAIL_MISMATCH)), body);
        assertTrue(body.contains("helpdesk"), body);
    }

    @Test
    void greetingWithAndWithoutName() {
        assertEquals("Gentile Mario Rossi,", texts.greeting("it", " Mario Rossi "));
        assertEquals("Buongiorno,", texts.greeting("it", null));
        assertEquals("Dear mario.rossi@example.it,", texts.greeting("en", "mario.rossi@example.it"));
        assertEquals("Hello,", texts.greeting("en", ""));
    }
}
