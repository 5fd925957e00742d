package io.smimedelivery.device.landing;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.qute.TemplateInstance;
import io.smimedelivery.device.landing.LandingStore.DeviceRow;
import io.smimedelivery.device.landing.LandingStore.PackageRow;
import io.smimedelivery.device.landing.LandingStore.PolicyRow;
import io.smimedelivery.device.landing.LandingViews.DevicePage;
import io.smimedelivery.device.landing.LandingViews.NoticePage;
import io.smimedelivery.device.landing.LandingViews.PolicyView;
import io.smimedelivery.events.CertificateRole;
import io.smimedelivery.events.PackagedCertificate;

/**
 * Builds the landing page of a device from the stored rows, in the caller's transaction.
 *
 * <p>The page is public to anyone with the link, because device ids are not secret. It therefore shows
 * no secret and no personal data beyond the policy name and certificate dates: no user name or e-mail
 * address, no serial number, no reason detail for administrators and only the first 8 hex digits of a
 * thumbprint.
 */
@ApplicationScoped
public class LandingPages {

    /** An HTML page and its HTTP status. */
    public record RenderedPage(int status, String html) {
    }

    static final int SHORT_THUMBPRINT_LENGTH = 8;

    private static final String DEVICE_RETIRED = "DEVICE_RETIRED";

    private final LandingStore store;
    private final LandingTexts texts;
    private final ZoneId zone;

    public LandingPages(LandingStore store, LandingTexts texts, LandingConfig config) {
        this.store = store;
        this.texts = texts;
        this.zone = config.landing().timeZone();
    }

    /**
     * Renders the page of a device, for every policy or only {@code policyId}, in the language of
     * {@code requestedLanguage} or else the user's. An unknown device gets 404 in the requested or default
     * language, a known device without that policy gets 404 in the user's language, and a retired device
     * gets 200 with a notice instead of the status list.
     */
    public RenderedPage render(String deviceId, String policyId, String requestedLanguage) {
        Optional<DeviceRow> found = store.device(deviceId);
        if (found.isEmpty()) {
            String language = texts.language(requestedLanguage, null);
            LandingMessages messages = texts.messages(language);
            return page(404, LandingTemplates.notice(
                    new NoticePage(language, messages.notFoundTitle(), messages.notFoundBody(), null)), language);
        }

        DeviceRow device = found.get();
        String language = texts.language(requestedLanguage, device.preferredLanguage());
        LandingMessages messages = texts.messages(language);
        String label = deviceLabel(device);
        if (device.retiredAt() != null) {
            return page(200, LandingTemplates.notice(
                    new NoticePage(language, messages.retiredTitle(), messages.retiredBody(), label)), language);
        }

        List<PolicyRow> rows = store.policies(device.deviceId(), device.userId()).stream()
                .filter(row -> policyId == null || row.policyId().equals(policyId))
                .toList();
        if (policyId != null && rows.isEmpty()) {
            return page(404, LandingTemplates.notice(
                    new NoticePage(language, messages.notFoundTitle(), messages.policyNotFoundBody(), label)), language);
        }

        List<PolicyView> policies = new ArrayList<>();
        for (PolicyRow row : rows) {
            policies.add(policyView(row, language, messages));
        }
        return page(200, LandingTemplates.device(new DevicePage(language, label, policies)), language);
    }

    private static RenderedPage page(int status, TemplateInstance template, String language) {
        // The locale selects the language of the {landing:...} texts in the templates.
        return new RenderedPage(status, template.setLocale(Locale.forLanguageTag(language)).render());
    }

    private static String deviceLabel(DeviceRow device) {
        return device.model() == null || device.model().isBlank()
                ? device.platform()
                : device.platform() + " · " + device.model();
    }

    private PolicyView policyView(PolicyRow row, String language, LandingMessages messages) {
        String name = row.policyName() != null ? row.policyName() : row.policyId();
        String updated = row.updatedAt() == null ? null
                : messages.updatedOn(dateTime(language).format(row.updatedAt().atZone(zone)));
        List<String> certificates = row.packageId() == null ? List.of()
                : store.packageInfo(row.packageId()).map(info -> certificateLines(info, language, messages))
                        .orElse(List.of());

        // A row without a state has no policy version yet, which the user sees as PENDING.
        String state = row.state() == null ? "PENDING" : row.state();
        return switch (state) {
            case "READY" -> new PolicyView(name, messages.stateReady(), "waiting", messages.nextReady(), null,
                    certificates, updated);
            case "NOTIFIED" -> new PolicyView(name, messages.stateNotified(), "waiting", messages.nextReady(), null,
                    certificates, updated);
            case "RETRIEVED" -> new PolicyView(name, messages.stateRetrieved(), "waiting", messages.nextRetrieved(),
                    null, certificates, updated);
            case "INSTALLED" -> new PolicyView(name, messages.stateInstalled(), "done", messages.nextInstalled(), null,
                    certificates, updated);
            case "FAILED" -> new PolicyView(name, messages.stateFailed(), "failed", messages.contactHelpdesk(),
                    failureReason(row.reasonCode(), messages), certificates, updated);
            case "REMOVED" -> new PolicyView(name, messages.stateRemoved(), "removed",
                    DEVICE_RETIRED.equals(row.reasonCode()) ? messages.nextRemovedRetired()
                            : messages.nextRemovedUnassigned(),
                    null, List.of(), updated);
            default -> new PolicyView(name, messages.statePending(), "waiting", messages.nextPending(), null,
                    certificates, updated);
        };
    }

    /** Returns one sentence for a failure reason code. Unknown codes and null get a general sentence. */
    static String failureReason(String reasonCode, LandingMessages messages) {
        if (reasonCode == null) {
            return messages.reasonGeneric();
        }
        return switch (reasonCode) {
            case "NO_ENCRYPTION_CERTIFICATE" -> messages.reasonNoEncryptionCertificate();
            case "NO_SIGNING_CERTIFICATE" -> messages.reasonNoSigningCertificate();
            case "EMAIL_MISMATCH" -> messages.reasonEmailMismatch();
            case "DEVICE_KEY_UNSUPPORTED" -> messages.reasonDeviceKeyUnsupported();
            case "NOTIFICATION_FAILED" -> messages.reasonNotificationFailed();
            case "INSTALL_MISMATCH" -> messages.reasonInstallMismatch();
            case "DERIVED_CREDENTIAL_MISSING" -> messages.reasonDerivedCredentialMissing();
            case "CHALLENGE_EXPIRED", "CHALLENGE_REUSED", "CHALLENGE_INVALID", "SUBJECT_MISMATCH", "SAN_MISMATCH",
                    "KEY_TOO_SMALL", "KEY_TYPE_UNSUPPORTED" -> messages.reasonScepRejected();
            default -> messages.reasonGeneric();
        };
    }

    private List<String> certificateLines(PackageRow info, String language, LandingMessages messages) {
        DateTimeFormatter dates = date(language);
        List<String> lines = new ArrayList<>();

        List<PackagedCertificate> encryption = info.certificates().stream()
                .filter(certificate -> certificate.role() == CertificateRole.ENCRYPTION)
                .toList();
        if (encryption.isEmpty()) {
            lines.add(messages.noEncryption());
        } else {
            // The package marks the current certificate. Without a mark, the one valid longest counts as current.
            PackagedCertificate current = encryption.stream().filter(PackagedCertificate::current).findFirst()
                    .orElseGet(() -> encryption.stream().max(Comparator.comparing(PackagedCertificate::notAfter))
                            .orElseThrow());
            String sentence = messages.encryptionCount(encryption.size()) + " " + messages.encryptionCurrent(
                    shortThumbprint(current.thumbprintSha256()), dates.format(current.notAfter().atZone(zone)));
            if (encryption.size() > 1) {
                sentence += " " + messages.encryptionOlder(encryption.size() - 1);
            }
            lines.add(sentence);
        }

        lines.add(signingLine(info, dates, messages));
        return lines;
    }

    private String signingLine(PackageRow info, DateTimeFormatter dates, LandingMessages messages) {
        String source = info.signingSource() == null ? "" : info.signingSource();
        return switch (source) {
            case "IMPORTED_PKCS" -> info.certificates().stream()
                    .filter(certificate -> certificate.role() == CertificateRole.SIGNING)
                    .max(Comparator.comparing(PackagedCertificate::notAfter))
                    .map(signing -> messages.signingImportedUntil(dates.format(signing.notAfter().atZone(zone))))
                    .orElse(messages.signingImported());
            case "SCEP" -> messages.signingScep();
            case "DERIVED_CREDENTIAL" -> messages.signingDerived();
            case "NONE" -> messages.signingNone();
            default -> messages.signingUnknown();
        };
    }

    /** Returns the first hex digits of a thumbprint in upper case, followed by an ellipsis. */
    static String shortThumbprint(String thumbprint) {
        String hex = thumbprint.strip().toUpperCase(Locale.ROOT);
        return hex.length() <= SHORT_THUMBPRINT_LENGTH ? hex : hex.substring(0, SHORT_THUMBPRINT_LENGTH) + "…";
    }

    private static DateTimeFormatter date(String language) {
        return DateTimeFormatter.ofPattern("d MMMM yyyy", LandingLanguage.dateLocale(language));
    }

    private static DateTimeFormatter dateTime(String language) {
        return DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm z", LandingLanguage.dateLocale(language));
    }
}
