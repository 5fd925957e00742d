package io.smimedelivery.notification.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smimedelivery.common.concurrent.AfterCommit;
import io.smimedelivery.common.concurrent.BackgroundLoop;
import io.smimedelivery.common.concurrent.WorkerThreads;
import io.smimedelivery.common.outbox.Outbox;
import io.smimedelivery.events.DeliveryChannel;
import io.smimedelivery.events.NotificationFailed;
import io.smimedelivery.events.NotificationSent;
import io.smimedelivery.notification.delivery.ChannelSender.SendContext;
import io.smimedelivery.notification.planning.NotificationPlanner;
import io.smimedelivery.notification.planning.NotificationStore;
import io.smimedelivery.notification.planning.NotificationStore.Delivery;
import io.smimedelivery.notification.planning.NotificationStore.DevicePackage;
import io.smimedelivery.notification.planning.NotificationStore.Notification;
import io.smimedelivery.notification.planning.NotificationStore.RecipientPolicy;
import io.smimedelivery.notification.push.PushConfig;

/**
 * Sends due deliveries on background threads. A delivery is claimed in one short transaction (status
 * SENDING with a lease), sent with no transaction open, and its outcome recorded in another, together
 * with its NotificationSent or NotificationFailed event. Temporary failures are retried with
 * exponential backoff and jitter up to {@link NotificationConfig#maxAttempts()}; permanent and uncertain
 * outcomes end the delivery. A delivery still SENDING after its lease belonged to an instance that
 * stopped. When its send had started, the message may have gone out, so it is recorded as UNCERTAIN
 * and not sent again. When it had not, the delivery is due again.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);
    private static final int BATCH = 10;

    private final NotificationPlanner planner;
    private final NotificationStore store;
    private final NotificationConfig config;
    private final Outbox outbox;
    private final TransactionSynchronizationRegistry transactions;
    private final MeterRegistry registry;
    private final Map<String, ChannelSender> senders = new HashMap<>();
    private final Map<String, RateLimiter> limiters = new HashMap<>();
    private final WorkerThreads threads = new WorkerThreads("delivery-worker");
    /** {@link System#nanoTime()} from which the next look for expired leases is due, shared by the worker threads. */
    private final AtomicLong nextRecovery = new AtomicLong(System.nanoTime());

    public DeliveryWorker(NotificationStore store, NotificationConfig config, Outbox outbox,
            TransactionSynchronizationRegistry transactions, MeterRegistry registry, Instance<ChannelSender> senders,
            NotificationPlanner planner, PushConfig push,
            @ConfigProperty(name = "quarkus.mailer.timeout") Duration mailTimeout) {
        String leaseProblem = leaseProblem(config.sendLease(), mailTimeout, push.connectTimeout(), push.requestTimeout());
        if (leaseProblem != null) {
            throw new IllegalArgumentException(leaseProblem);
        }
        this.store = store;
        this.planner = planner;
        this.config = config;
        this.outbox = outbox;
        this.transactions = transactions;
        this.registry = registry;
        senders.forEach(sender -> this.senders.put(sender.channel(), sender));
        limiters.put("EMAIL", new RateLimiter(config.emailRatePerSecond()));
        limiters.put("PUSH", new RateLimiter(config.pushRatePerSecond()));
        for (String channel : List.of("EMAIL", "PUSH")) {
            for (String status : List.of("PENDING", "SENDING", "SENT", "FAILED", "UNCERTAIN")) {
                Gauge.builder("smime.notification.deliveries", () -> countSafely(channel, status))
                        .description("Deliveries by channel and status").tag("channel", channel).tag("status", status)
                        .register(registry);
            }
        }
    }

    /**
     * Returns why {@code lease} is too short, or null. A lease covers one send and the recording of its
     * outcome, so it must be longer than the longest send: an e-mail waits up to {@code mailTimeout}, a
     * push up to its connect and request timeouts. With a shorter lease, recovery would record a send
     * that is still running as UNCERTAIN.
     */
    static String leaseProblem(Duration lease, Duration mailTimeout, Duration pushConnectTimeout,
            Duration pushRequestTimeout) {
        Duration push = pushConnectTimeout.plus(pushRequestTimeout);
        if (lease.compareTo(mailTimeout) <= 0) {
            return "smime.notification.send-lease " + lease + " must be longer than the longest e-mail send, "
                    + "quarkus.mailer.timeout " + mailTimeout + "; raise the lease or lower the timeout";
        }
        if (lease.compareTo(push) <= 0) {
            return "smime.notification.send-lease " + lease + " must be longer than the longest push send, "
                    + "smime.push.connect-timeout " + pushConnectTimeout + " plus smime.push.request-timeout "
                    + pushRequestTimeout + "; raise the lease or lower the timeouts";
        }
        return null;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.workerEnabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public void start() {
        if (threads.start(config.workerThreads(), this::run)) {
            LOG.infof("Delivery worker started with %d thread(s), channels %s", threads.size(), senders.keySet());
        }
    }

    public void stop() {
        if (threads.stop(Duration.ofSeconds(30))) {
            LOG.info("Delivery worker stopped");
        }
    }

    public void wake() {
        threads.wake();
    }

    /** Wakes the workers when the current transaction commits. */
    public void wakeAfterCommit() {
        AfterCommit.run(transactions, DeliveryWorker.class, this::wake);
    }

    private void run(BackgroundLoop loop) {
        while (loop.running()) {
            int sent;
            try {
                recoverWhenDue();
                sent = sendDue();
            } catch (RuntimeException e) {
                LOG.errorf(e, "Delivery worker failed; retrying in %s", config.pollInterval());
                sent = 0;
            }
            if (sent == 0) {
                loop.awaitWake(config.pollInterval());
            }
        }
    }

    /**
     * Runs {@link #recoverInterrupted()} when one poll interval has passed since the last run by any worker
     * thread. Leases last minutes, so looking once per interval is enough, and a busy worker does not add a
     * transaction to every claim.
     */
    private void recoverWhenDue() {
        long now = System.nanoTime();
        long due = nextRecovery.get();
        if (now - due >= 0 && nextRecovery.compareAndSet(due, now + config.pollInterval().toNanos())) {
            recoverInterrupted();
        }
    }

    /** Sends one batch of due deliveries; returns how many were attempted. */
    public int sendDue() {
        List<SendContext> batch = claimDue(config.sendLease());
        send(batch);
        return batch.size();
    }

    /** Sends the deliveries of one claim one after another and records each outcome. */
    public void send(List<SendContext> claimed) {
        for (int i = 0; i < claimed.size(); i++) {
            send(claimed.get(i), claimed.subList(i + 1, claimed.size()));
        }
    }

    /**
     * Claims one batch of due deliveries for {@code lease} in its own transaction and returns what each
     * send needs. An e-mail delivery then names the devices its message lists.
     */
    public List<SendContext> claimDue(Duration lease) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<SendContext> contexts = new ArrayList<>();
            for (Delivery delivery : store.claimDue(List.copyOf(senders.keySet()), BATCH, Instant.now().plus(lease))) {
                SendContext context = context(delivery);
                if (delivery.channel().equals("EMAIL") && !context.notification().kind().equals(NotificationPlanner.RENEWAL)) {
                    // The e-mail lists these devices; if this instance stops mid-send, recovery names the same ones.
                    String listed = String.join(",", context.packages().stream().map(DevicePackage::deviceId).toList());
                    store.setDeliveryDevices(delivery.id(), listed);
                    context = context.withDelivery(delivery.withDeviceIds(listed));
                }
                contexts.add(context);
            }
            return contexts;
        });
    }

    private SendContext context(Delivery delivery) {
        Notification notification = store.notification(delivery.notificationId()).orElseThrow();
        var recipient = store.recipient(notification.userId()).orElse(null);
        RecipientPolicy policy = store.policies(notification.userId()).stream()
                .filter(p -> p.policyId().equals(notification.policyId())).findFirst()
                .orElse(new RecipientPolicy(notification.userId(), notification.policyId(), notification.policyVersion(),
                        notification.policyId(), notification.channel()));
        List<DevicePackage> packages = store.packagesOf(notification.userId(), notification.policyId(),
                notification.policyVersion()).stream().filter(pkg -> pkg.outcome().equals(notification.kind())).toList();
        var device = delivery.deviceId().isEmpty() ? null : store.device(delivery.deviceId()).orElse(null);
        // A renewal concerns the devices its delivery names; the other kinds concern the packages of their outcome.
        var deviceIds = notification.kind().equals(NotificationPlanner.RENEWAL)
                ? java.util.Arrays.stream(delivery.deviceIds().split(",")).filter(id -> !id.isBlank()).toList()
                : packages.stream().map(DevicePackage::deviceId).toList();
        var devices = deviceIds.stream().map(store::device).flatMap(java.util.Optional::stream).toList();
        return new SendContext(delivery, notification, recipient, policy, packages, devices, device);
    }

    /**
     * Sends one claimed delivery and records its outcome; {@code waiting} are the deliveries of the same
     * claim that this thread sends after it.
     */
    private void send(SendContext context, List<SendContext> waiting) {
        Delivery delivery = context.delivery();
        Instant started = Instant.now();
        if (!renewLeases(delivery, waiting, started)) {
            LOG.warnf("Delivery %s (%s) was taken over by recovery before its send started; this claim does not send it",
                    delivery.id(), delivery.channel());
            return;
        }
        DeliveryOutcome outcome;
        if (context.recipient() == null) {
            outcome = DeliveryOutcome.permanent("The user's contact data is unknown");
        } else if (!limiters.get(delivery.channel()).acquire()) {
            outcome = DeliveryOutcome.temporary("The worker stopped before the send");
        } else {
            try {
                outcome = senders.get(delivery.channel()).send(context);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Sender for %s failed on delivery %s", delivery.channel(), delivery.id());
                outcome = DeliveryOutcome.temporary("Sender failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        DeliveryOutcome result = outcome;
        String deviceIds = delivery.channel().equals("EMAIL")
                ? String.join(",", context.packages().stream().map(DevicePackage::deviceId).toList())
                : null;
        recordWhileLeased(context, started, result, deviceIds);
        Counter.builder("smime.notification.attempts").tag("channel", delivery.channel())
                .tag("outcome", result.status().name()).register(registry).increment();
    }

    /**
     * Extends the leases of a delivery whose send starts and of the deliveries of its claim still waiting
     * behind it, so that a slow send does not let the waiting ones run out, and records that this send
     * starts. Returns false when recovery already took the delivery over, so this claim must not send it.
     * When the database cannot be reached, the send goes ahead on the claim's lease without a recorded
     * start: if this instance then also stops before it records the outcome, recovery makes the delivery
     * due again and the message can go out twice.
     */
    private boolean renewLeases(Delivery delivery, List<SendContext> waiting, Instant started) {
        List<Delivery> deliveries = new ArrayList<>(waiting.size() + 1);
        deliveries.add(delivery);
        waiting.forEach(next -> deliveries.add(next.delivery()));
        try {
            return QuarkusTransaction.requiringNew()
                    .call(() -> store.renewLeases(delivery.id(), deliveries, started.plus(config.sendLease())))
                    .contains(delivery.id());
        } catch (RuntimeException e) {
            LOG.warnf("Renewing the lease of delivery %s failed, sending on the claim's lease: %s", delivery.id(),
                    e.getMessage());
            return true;
        }
    }

    /**
     * Records the outcome of a send, trying again while the database is unreachable and the lease lasts.
     * The outcome is known, so it should not turn UNCERTAIN only because the database was briefly down.
     * Once the lease has run out, the delivery is left to {@link #recoverInterrupted()}.
     */
    private void recordWhileLeased(SendContext context, Instant started, DeliveryOutcome outcome, String deviceIds) {
        Instant leaseEnd = started.plus(config.sendLease());
        Duration pause = Duration.ofMillis(200);
        while (true) {
            try {
                QuarkusTransaction.requiringNew().run(() -> record(context, started, outcome, deviceIds));
                return;
            } catch (RuntimeException e) {
                if (Instant.now().plus(pause).isAfter(leaseEnd)) {
                    throw e;
                }
                LOG.warnf("Recording the outcome %s of delivery %s failed, retrying in %d ms: %s", outcome.status(),
                        context.delivery().id(), pause.toMillis(), e.getMessage());
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.warnf("Stopped before the outcome of delivery %s was recorded; it becomes UNCERTAIN after its lease",
                        context.delivery().id());
                return;
            }
            pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : pause.multipliedBy(2);
        }
    }

    private void record(SendContext context, Instant started, DeliveryOutcome outcome, String deviceIdsText) {
        Delivery delivery = context.delivery();
        Notification notification = context.notification();
        // The planner takes the same lock, so a package that arrives during the send is announced by one side.
        store.lockUser(notification.userId());
        if (!store.lockClaimed(delivery.id(), delivery.attempts())) {
            // The lease ran out during the send and the delivery was recorded as UNCERTAIN meanwhile.
            LOG.warnf("Delivery %s (%s) ended %s after its lease had run out; it stays as recovery recorded it",
                    delivery.id(), delivery.channel(), outcome.status());
            return;
        }
        DeliveryChannel channel = DeliveryChannel.valueOf(delivery.channel());
        List<String> deviceIds = deviceIdsText != null ? split(deviceIdsText) : split(delivery.deviceIds());
        Instant now = Instant.now();
        switch (outcome.status()) {
            case SENT -> {
                store.finishAttempt(delivery, started, outcome.status().name(), outcome.detail(), "SENT", now, null,
                        deviceIdsText);
                outbox.add(new NotificationSent(delivery.id().toString(), notification.userId(), notification.policyId(),
                        notification.policyVersion(), channel, deviceIds, delivery.attempts(), now));
                LOG.infof("Delivery %s (%s) of notification %s sent on attempt %d", delivery.id(), channel,
                        notification.id(), delivery.attempts());
            }
            case PERMANENT_FAILURE -> {
                String reason = channel == DeliveryChannel.EMAIL ? "SMTP_REJECTED" : pushRejection(outcome.detail());
                if (reason.equals("PUSH_TOKEN_INVALID") && context.device() != null) {
                    store.invalidatePushToken(context.device().deviceId());
                }
                fail(context, started, outcome, "FAILED", reason, true, deviceIds, deviceIdsText);
            }
            case UNCERTAIN -> fail(context, started, outcome, "UNCERTAIN", "DELIVERY_UNCERTAIN", true, deviceIds,
                    deviceIdsText);
            case TEMPORARY_FAILURE -> {
                if (delivery.attempts() >= config.maxAttempts()) {
                    String reason = channel == DeliveryChannel.EMAIL ? "SMTP_UNAVAILABLE" : "PUSH_UNAVAILABLE";
                    fail(context, started, outcome, "FAILED", reason, true, deviceIds, deviceIdsText);
                } else {
                    Duration delay = outcome.retryAfter() != null ? outcome.retryAfter() : backoff(delivery.attempts());
                    store.finishAttempt(delivery, started, outcome.status().name(), outcome.detail(), "PENDING",
                            now.plus(delay), null, deviceIdsText);
                    String reason = channel == DeliveryChannel.EMAIL ? "SMTP_UNAVAILABLE" : "PUSH_UNAVAILABLE";
                    outbox.add(new NotificationFailed(delivery.id().toString(), notification.userId(),
                            notification.policyId(), notification.policyVersion(), channel, deviceIds, delivery.attempts(),
                            false, reason, outcome.detail().isBlank() ? reason : outcome.detail(), now));
                    LOG.warnf("Delivery %s (%s) failed on attempt %d of %d, retrying in %d ms: %s", delivery.id(), channel,
                            delivery.attempts(), config.maxAttempts(), delay.toMillis(), outcome.detail());
                }
            }
            default -> throw new IllegalStateException("Unknown outcome " + outcome.status());
        }
        if (channel == DeliveryChannel.EMAIL) {
            // Devices whose package arrived during the send get the e-mail's outcome; pushes name only their device.
            planner.announceLateDevices(notification);
        }
    }

    private void fail(SendContext context, Instant started, DeliveryOutcome outcome, String status, String reason,
            boolean permanent, List<String> deviceIds, String deviceIdsText) {
        Delivery delivery = context.delivery();
        Notification notification = context.notification();
        store.finishAttempt(delivery, started, outcome.status().name(), outcome.detail(), status, Instant.now(), reason,
                deviceIdsText);
        outbox.add(new NotificationFailed(delivery.id().toString(), notification.userId(), notification.policyId(),
                notification.policyVersion(), DeliveryChannel.valueOf(delivery.channel()), deviceIds,
                Math.max(1, delivery.attempts()), permanent, reason, outcome.detail().isBlank() ? reason : outcome.detail(),
                Instant.now()));
        LOG.warnf("Delivery %s (%s) of notification %s ended %s after %d attempt(s): %s (%s)", delivery.id(),
                delivery.channel(), notification.id(), status, delivery.attempts(), reason, outcome.detail());
    }

    /**
     * Takes over deliveries whose lease ran out. One whose send had started is recorded as UNCERTAIN:
     * the message may have gone out, so sending it again could reach the user twice. One whose send had
     * not started yet, because it waited behind other sends of its claim, is due again.
     *
     * @return the number of deliveries taken over
     */
    public int recoverInterrupted() {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<String> users = store.usersWithExpiredLeases(BATCH);
            if (users.isEmpty()) {
                return 0;
            }
            // The users are locked before their delivery rows, in lock-id order, as consumer batches and
            // record() lock them.
            store.lockUsers(users);
            List<Delivery> released = store.releaseUnstarted(users);
            for (Delivery delivery : released) {
                LOG.warnf("Delivery %s (%s) was claimed on attempt %d by a worker that stopped before sending it;"
                        + " it is due again", delivery.id(), delivery.channel(), delivery.attempts());
            }
            List<Delivery> expired = store.expiredLeases(users);
            for (Delivery delivery : expired) {
                SendContext context = context(delivery);
                // device_ids contains the devices the interrupted send listed, written when it was claimed.
                fail(context, Instant.now(), DeliveryOutcome.uncertain("The sending instance stopped during the send"),
                        "UNCERTAIN", "DELIVERY_UNCERTAIN", true, split(delivery.deviceIds()), null);
                if (delivery.channel().equals("EMAIL")) {
                    planner.announceLateDevices(context.notification());
                }
            }
            return released.size() + expired.size();
        });
    }

    /**
     * Returns the reason code of a permanent push failure. APNs returns 410 Unregistered, BadDeviceToken
     * and DeviceTokenNotForTopic only for a token that will never work again. Other rejections concern the
     * request or the provider's setup, so the token stays.
     */
    static String pushRejection(String detail) {
        if (detail.startsWith(PushChannelSender.NO_TOKEN)) {
            return "PUSH_TOKEN_MISSING";
        }
        if (detail.contains("HTTP 410") || detail.contains("BadDeviceToken") || detail.contains("DeviceTokenNotForTopic")) {
            return "PUSH_TOKEN_INVALID";
        }
        return "PUSH_REJECTED";
    }

    /** Returns the delay after {@code attempts} attempts: doubled each time, capped, plus up to 20 % jitter. */
    Duration backoff(int attempts) {
        long base = config.retryBackoff().toMillis() << Math.min(Math.max(attempts - 1, 0), 20);
        long capped = Math.min(base, config.maxRetryBackoff().toMillis());
        long jitter = (long) (capped * 0.2 * ThreadLocalRandom.current().nextDouble());
        return Duration.ofMillis(capped + jitter);
    }

    private static List<String> split(String deviceIds) {
        return deviceIds == null || deviceIds.isBlank() ? List.of() : Arrays.asList(deviceIds.split(","));
    }

    private double countSafely(String channel, String status) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> store.countByStatus(channel, status));
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
