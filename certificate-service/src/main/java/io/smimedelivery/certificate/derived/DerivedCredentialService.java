package io.smimedelivery.certificate.derived;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.smimedelivery.certificate.delivery.DeliveryRecords.AssignedUser;
import io.smimedelivery.certificate.delivery.DeliveryRecords.Device;
import io.smimedelivery.certificate.delivery.DeliveryRecords.UserPolicy;
import io.smimedelivery.certificate.crypto.CertificateEncoding;
import io.smimedelivery.certificate.delivery.DeliveryStore;
import io.smimedelivery.certificate.delivery.PackagePlanner;
import io.smimedelivery.certificate.delivery.PackageWorker;
import io.smimedelivery.certificate.derived.DerivedCredentialStore.DerivedCredential;
import io.smimedelivery.certificate.limits.InputLimits;
import io.smimedelivery.common.problem.ProblemException;
import io.smimedelivery.events.EncryptionProfileType;
import io.smimedelivery.events.PolicySettings;
import io.smimedelivery.events.SigningProfileType;

/**
 * Records the derived credentials that devices report and queues the user's packages, which then name the
 * credentials by thumbprint instead of carrying keys.
 */
@ApplicationScoped
public class DerivedCredentialService {

    /** Share of a credential's validity, in percent, after which the user gets a renewal notification. */
    static final int RENEWAL_AT_PERCENT = 80;
    private static final Logger LOG = Logger.getLogger(DerivedCredentialService.class);

    private final DeliveryStore deliveries;
    private final DerivedCredentialStore credentials;
    private final PackageWorker worker;
    private final InputLimits limits;

    public DerivedCredentialService(DeliveryStore deliveries, DerivedCredentialStore credentials, PackageWorker worker,
            InputLimits limits) {
        this.deliveries = deliveries;
        this.credentials = credentials;
        this.worker = worker;
        this.limits = limits;
    }

    /** Returns whether a policy takes the signing or the encryption certificate from derived credentials. */
    public static boolean usesDerivedCredentials(PolicySettings settings) {
        return settings.signingProfileType() == SigningProfileType.DERIVED_CREDENTIAL
                || settings.encryptionProfileType() == EncryptionProfileType.DERIVED_CREDENTIAL;
    }

    /**
     * Validates and stores a credential of an authenticated device, and queues the user's packages when
     * it is new.
     *
     * @throws ProblemException 409 when none of the user's policies uses derived credentials, 400 when the
     *     credential is invalid
     */
    @Transactional
    public DerivedCredential report(String deviceId, String purpose, String certificatePem, List<String> chainPems) {
        Device device = deliveries.device(deviceId).orElseThrow(() -> ProblemException.notFound("Device", deviceId));
        AssignedUser user = deliveries.user(device.userId()).orElseThrow(() -> notUsed(deviceId, device.userId()));
        List<UserPolicy> policies = deliveries.policies(user.userId()).stream()
                .filter(policy -> usesDerivedCredentials(policy.settings())).toList();
        if (policies.isEmpty()) {
            throw notUsed(deviceId, user.userId());
        }
        Set<X509Certificate> roots = new LinkedHashSet<>();
        for (UserPolicy policy : policies) {
            roots.addAll(PackagePlanner.caCertificates(policy.settings().trustedRoots()));
        }
        Instant now = Instant.now();
        X509Certificate certificate = DerivedCredentialValidator.validate(purpose, certificatePem, chainPems,
                new ArrayList<>(roots), user.email(), now, limits.chainCertificates());

        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        Duration lifetime = Duration.between(notBefore, notAfter);
        DerivedCredential credential = new DerivedCredential(UUID.randomUUID(), deviceId, user.userId(), purpose,
                CertificateEncoding.thumbprint(certificate), certificate.getSerialNumber().toString(16),
                DerivedCredentialValidator.readable(certificate.getSubjectX500Principal()),
                DerivedCredentialValidator.readable(certificate.getIssuerX500Principal()), notBefore,
                notAfter, CertificateEncoding.encoded(certificate), now,
                notBefore.plus(lifetime.multipliedBy(RENEWAL_AT_PERCENT).dividedBy(100)), null);
        if (credentials.report(credential, String.join("", chainPems == null ? List.of() : chainPems))) {
            deliveries.requestPackages(user.userId());
            worker.wakeAfterCommit();
            LOG.infof("Device %s reported its %s derived credential %s, valid until %s", deviceId, purpose,
                    credential.serialNumber(), notAfter);
            return credential;
        }
        return credentials.current(deviceId, purpose).orElse(credential);
    }

    private static ProblemException notUsed(String deviceId, String userId) {
        return new ProblemException(Response.Status.CONFLICT, "derived-credentials-not-used",
                "Derived credentials not used", "None of the policies of user " + userId + " of device " + deviceId
                        + " takes certificates from derived credentials; assign such a policy first", List.of());
    }
}
