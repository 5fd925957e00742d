package io.smimedelivery.notification.planning;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smimedelivery.common.outbox.Outbox;
import io.smimedelivery.events.CertificateRole;
import io.smimedelivery.events.DeliveryChannel;
import io.smimedelivery.events.NotificationFailed;
import io.smimedelivery.events.NotificationSent;
import io.smimedelivery.events.PackagedCertificate;
import io.smimedelivery.notification.delivery.NotificationConfig;
import io.smimedelivery.notification.planning.NotificationStore.Delivery;
import io.smimedelivery.notification.planning.NotificationStore.DevicePackage;
import io.smimedelivery.notification.planning.NotificationStore.Notification;
import io.smimedelivery.notification.planning.NotificationStore.Recipient;
import io.smimedelivery.notification.planning.NotificationStore.RecipientPolicy;
import io.smimedelivery.notification.planning.NotificationStore.RenewalDue;
import io.smimedelivery.notification.text.NotificationTexts;
import io.smimedelivery.notification.text.ShortText;

/**
 * Works out the notifications of one user from what the consumers recorded: the user's policies and
 * the package outcomes of the user's devices. It runs after every relevant event, in that event's
 * transaction, and creates only what is missing, so events may arrive in any order and more than once.
 *
 * <p>Per policy version and kind (READY or FAILED) there is one notification in the channel the policy
 * names. A READY notification also belongs to the user's certificates in the package (see
 * {@link #certificateKey}), so packages rebuilt for a renewed certificate bring a new notification. An e-mail is one delivery, sent after {@link NotificationConfig#emailGatherDelay()} so it lists
 * every device that became ready in the meantime. Company Portal gets one list entry and one push per
 * device. A derived credential due for renewal gets a RENEWAL notification of its own once the user's
 * policy that uses it and the device are known.
 */
@ApplicationScoped
public class NotificationPlanner {

    public static final String READY = "READY";
    public static final String FAILED = "FAILED";
    /** Kind of a notification that a device's derived credential passed 80 percent of its validity. */
    public static final String RENEWAL = "RENEWAL";
    public static final String EMAIL = "EMAIL";
    public static final String COMPANY_PORTAL = "COMPANY_PORTAL";

    private static final Logger LOG = Logger.getLogger(NotificationPlanner.class);
    /** Statuses of a delivery that will not be sent again. */
    private static final List<String> ENDED = List.of("SENT", "FAILED", "UNCERTAIN");

    private final NotificationStore store;
    private final NotificationConfig config;
    private final NotificationTexts texts;
    private final Outbox outbox;

    public NotificationPlanner(NotificationStore store, NotificationConfig config, NotificationTexts texts, Outbox outbox) {
        this.store = store;
        this.config = config;
        this.texts = texts;
        this.outbox = outbox;
    }

    /** Returns true when a delivery was created that the worker should send. */
    public boolean plan(String userId) {
        Optional<Recipient> recipient = store.recipient(userId);
        if (recipient.isEmpty()) {
            return false;
        }
        boolean work = false;
        for (RecipientPolicy policy : store.policies(userId)) {
            List<DevicePackage> packages = store.packagesOf(userId, policy.policyId(), policy.policyVersion());
            Map<String, List<DevicePackage>> ready = new TreeMap<>(packages.stream()
                    .filter(pkg -> pkg.outcome().equals(READY))
                    .collect(Collectors.groupingBy(DevicePackage::certificateKey)));
            for (Map.Entry<String, List<DevicePackage>> group : ready.entrySet()) {
                work |= planKind(recipient.get(), policy, READY, group.getKey(), group.getValue());
            }
            List<DevicePackage> failed = packages.stream().filter(pkg -> pkg.outcome().equals(FAILED)).toList();
            if (!failed.isEmpty()) {
                work |= planKind(recipient.get(), policy, FAILED, "", failed);
            }
            for (RenewalDue due : store.renewalsDue(userId, policy.policyId())) {
                work |= planRenewal(recipient.get(), policy, due);
            }
        }
        return work;
    }

    /**
     * Returns the key of the user's certificates in a package: the SHA-256 (lower-case hex) of the sorted
     * thumbprints of the current encryption certificates and the signing certificates, joined by commas.
     * Older encryption certificates and CA certificates are left out, so only a new current or signing
     * certificate changes the key.
     */
    public static String certificateKey(List<PackagedCertificate> certificates) {
        String joined = certificates.stream()
                .filter(certificate -> certificate.role() == CertificateRole.SIGNING
                        || certificate.role() == CertificateRole.ENCRYPTION && certificate.current())
                .map(certificate -> certificate.thumbprintSha256().toLowerCase(Locale.ROOT))
                .sorted()
                .collect(Collectors.joining(","));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(joined.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    private boolean planKind(Recipient recipient, RecipientPolicy policy, String kind, String certificateKey,
            List<DevicePackage> packages) {
        String channel = policy.endUserNotification().equals(EMAIL) ? EMAIL : COMPANY_PORTAL;
        String language = language(recipient.preferredLanguage());
        var created = store.createNotification(recipient.userId(), policy.policyId(), policy.policyVersion(), kind,
                channel, language, certificateKey);
        Notification notification = created.row();

        Instant now = Instant.now();
        String deviceIds = packages.stream().map(DevicePackage::deviceId).collect(Collectors.joining(","));
        if (created.created()) {
            LOG.infof("Notification %s: %s of policy %s v%d for user %s by %s", notification.id(), kind, policy.policyId(),
                    policy.policyVersion(), recipient.userId(), channel);
        }

        if (channel.equals(EMAIL)) {
            boolean newDelivery = store.createDelivery(notification.id(), EMAIL, "", "PENDING",
                    now.plus(config.emailGatherDelay()), deviceIds);
            if (!newDelivery) {
                announceLateDevices(notification);
            }
            return newDelivery;
        }
        ShortText entry = kind.equals(READY) ? texts.readyListEntry(notification.language(), policy.policyName())
                : texts.failedListEntry(notification.language(), policy.policyName(), packages.get(0).reasonCode());
        return planCompanyPortal(notification, recipient, policy, entry,
                packages.stream().map(DevicePackage::deviceId).toList(), now);
    }

    /**
     * Creates the Company Portal list entry, linked to the first device's landing page, with its
     * NotificationSent event, and one push per device; returns true when a push was created.
     */
    private boolean planCompanyPortal(Notification notification, Recipient recipient, RecipientPolicy policy,
            ShortText entry, List<String> deviceIds, Instant now) {
        String link = landingPage(deviceIds.get(0), policy.policyId());
        if (store.createFeedEntry(notification.id(), recipient.userId(), entry.title(), entry.body(), link)) {
            store.createDelivery(notification.id(), DeliveryChannel.NOTIFICATION_LIST.name(), "", "SENT", now,
                    String.join(",", deviceIds));
            outbox.add(new NotificationSent(notification.id().toString(), recipient.userId(), policy.policyId(),
                    policy.policyVersion(), DeliveryChannel.NOTIFICATION_LIST, deviceIds, 1, now));
        } else {
            announceLateDevices(notification);
        }
        boolean work = false;
        for (String deviceId : deviceIds) {
            work |= store.createDelivery(notification.id(), DeliveryChannel.PUSH.name(), deviceId, "PENDING", now, deviceId);
        }
        return work;
    }

    /**
     * Creates the renewal notification of one derived credential, once per credential, in the channel of
     * the policy that uses it: an e-mail, or a Company Portal list entry and a push to the device.
     *
     * @return true when a delivery was created that the worker should send
     */
    private boolean planRenewal(Recipient recipient, RecipientPolicy policy, RenewalDue due) {
        String channel = policy.endUserNotification().equals(EMAIL) ? EMAIL : COMPANY_PORTAL;
        var created = store.createNotification(recipient.userId(), policy.policyId(), policy.policyVersion(), RENEWAL,
                channel, language(recipient.preferredLanguage()), due.thumbprintSha256());
        Notification notification = created.row();
        Instant now = Instant.now();
        if (created.created()) {
            LOG.infof("Notification %s: renewal of a derived %s credential of device %s for user %s by %s",
                    notification.id(), due.purpose(), due.deviceId(), recipient.userId(), channel);
        }
        if (channel.equals(EMAIL)) {
            return store.createDelivery(notification.id(), EMAIL, "", "PENDING", now, due.deviceId());
        }
        ShortText entry = texts.renewalListEntry(notification.language(), policy.policyName());
        return planCompanyPortal(notification, recipient, policy, entry, List.of(due.deviceId()), now);
    }

    /**
     * Announces the devices whose package of a notification's kind and certificates arrived after its
     * e-mail ended or its Company Portal list entry was made. The e-mail or the entry already asked the
     * user to open Company Portal, so there is no second one: the delivery gains the devices, and a
     * NotificationSent of that delivery names them for device-service. After a failed or uncertain e-mail
     * the late devices get a NotificationFailed with the delivery's reason, like the devices the e-mail
     * listed. Does nothing while the e-mail is still to be sent, because the send then lists every ready
     * device. Callers hold the user's lock, so a package and a finished send never miss each other.
     */
    public void announceLateDevices(Notification notification) {
        if (notification.kind().equals(RENEWAL)) {
            return;
        }
        Optional<Delivery> ended = store.deliveriesOf(notification.id()).stream()
                .filter(delivery -> delivery.channel().equals(EMAIL) && ENDED.contains(delivery.status())
                        || delivery.channel().equals(DeliveryChannel.NOTIFICATION_LIST.name()))
                .findFirst();
        if (ended.isEmpty()) {
            return;
        }
        Delivery delivery = ended.get();
        List<String> named = Arrays.stream(delivery.deviceIds().split(",")).filter(id -> !id.isBlank()).toList();
        List<String> late = store.packagesOf(notification.userId(), notification.policyId(), notification.policyVersion())
                .stream()
                .filter(pkg -> pkg.outcome().equals(notification.kind()))
                .filter(pkg -> !notification.kind().equals(READY) || pkg.certificateKey().equals(notification.certificateKey()))
                .map(DevicePackage::deviceId)
                .filter(deviceId -> !named.contains(deviceId))
                .toList();
        if (late.isEmpty()) {
            return;
        }
        List<String> all = new ArrayList<>(named);
        all.addAll(late);
        store.setDeliveryDevices(delivery.id(), String.join(",", all));
        Instant now = Instant.now();
        int attempts = Math.max(1, delivery.attempts());
        DeliveryChannel channel = DeliveryChannel.valueOf(delivery.channel());
        if (delivery.status().equals("SENT")) {
            // A list entry's events carry the notification id, as when the entry was made.
            String id = channel == DeliveryChannel.NOTIFICATION_LIST ? notification.id().toString() : delivery.id().toString();
            outbox.add(new NotificationSent(id, notification.userId(), notification.policyId(), notification.policyVersion(),
                    channel, late, attempts, now));
        } else {
            String reason = delivery.reasonCode() == null ? "DELIVERY_UNCERTAIN" : delivery.reasonCode();
            String detail = delivery.lastDetail() == null || delivery.lastDetail().isBlank() ? reason : delivery.lastDetail();
            outbox.add(new NotificationFailed(delivery.id().toString(), notification.userId(), notification.policyId(),
                    notification.policyVersion(), channel, late, attempts, true, reason, detail, now));
        }
        LOG.infof("Delivery %s (%s) of notification %s: devices %s became %s after it ended %s; announced without"
                + " a second message", delivery.id(), channel, notification.id(), late, notification.kind(),
                delivery.status());
    }

    /** Returns the landing page URL of a device for a policy. */
    public String landingPage(String deviceId, String policyId) {
        return config.landingPageUrl()
                .replace("{deviceId}", java.net.URLEncoder.encode(deviceId, java.nio.charset.StandardCharsets.UTF_8))
                .replace("{policyId}", java.net.URLEncoder.encode(policyId, java.nio.charset.StandardCharsets.UTF_8));
    }

    private String language(String preferredLanguage) {
        return texts.language(preferredLanguage);
    }
}
