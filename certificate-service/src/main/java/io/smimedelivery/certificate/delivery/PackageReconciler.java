package io.smimedelivery.certificate.delivery;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smimedelivery.certificate.crypto.KeyEncryption;
import io.smimedelivery.certificate.crypto.KeyEncryptionProvider;
import io.smimedelivery.certificate.delivery.DeliveryRecords.AssignedUser;
import io.smimedelivery.certificate.delivery.DeliveryRecords.Device;
import io.smimedelivery.certificate.delivery.DeliveryRecords.LivePackage;
import io.smimedelivery.certificate.delivery.DeliveryRecords.PackageStatus;
import io.smimedelivery.certificate.delivery.DeliveryRecords.UserPolicy;
import io.smimedelivery.certificate.delivery.PackageDocument.ManifestEntry;
import io.smimedelivery.certificate.derived.DerivedCredentialStore;
import io.smimedelivery.certificate.derived.DerivedCredentialStore.DerivedCredential;
import io.smimedelivery.certificate.scep.ScepInstructions;
import io.smimedelivery.certificate.scep.ScepPackaging;
import io.smimedelivery.certificate.scep.ScepStore;
import io.smimedelivery.certificate.delivery.PackagePlan.PlannedCertificate;
import io.smimedelivery.certificate.entity.ImportedCertificate;
import io.smimedelivery.certificate.packaging.KeyedCertificate;
import io.smimedelivery.certificate.packaging.PackageEnvelope;
import io.smimedelivery.certificate.packaging.PackagePasswords;
import io.smimedelivery.certificate.packaging.Pkcs12Builder;
import io.smimedelivery.certificate.packaging.Pkcs12Profile;
import io.smimedelivery.common.outbox.Outbox;
import io.smimedelivery.deviceauth.DevicePublicKeys;
import io.smimedelivery.events.CertificateRole;
import io.smimedelivery.events.EncryptionProfileType;
import io.smimedelivery.events.EventJson;
import io.smimedelivery.events.PackageFailed;
import io.smimedelivery.events.PackageReady;
import io.smimedelivery.events.PackageRevoked;
import io.smimedelivery.events.PackagedCertificate;
import io.smimedelivery.events.SigningSource;

/**
 * Brings the packages of one user up to date with the user's policies, devices and certificates, in
 * the caller's transaction. Each managed iPhone or iPad of the user gets one package per policy that
 * deploys certificates. A package whose inputs did not change is kept and a changed one is replaced.
 * A package whose policy or device is gone is revoked. The PKCS#12 is built once per policy and user and
 * enveloped for each device. Every change is announced through the outbox.
 */
@ApplicationScoped
public class PackageReconciler {

    /** Reason code: the policy takes a certificate from derived credentials that the device has not reported. */
    public static final String DERIVED_CREDENTIAL_MISSING = "DERIVED_CREDENTIAL_MISSING";

    /** Reason code: the device's enrollment key cannot receive a CMS envelope. */
    public static final String DEVICE_KEY_UNSUPPORTED = "DEVICE_KEY_UNSUPPORTED";

    private static final Logger LOG = Logger.getLogger(PackageReconciler.class);

    private final DeliveryStore store;
    private final Outbox outbox;
    private final KeyEncryptionProvider keyEncryption;
    private final Pkcs12Profile profile;
    private final int iterations;
    private final PackagePlanner planner;
    private final Pkcs12Builder pkcs12Builder = new Pkcs12Builder();

    private final ScepPackaging scepPackaging;
    private final ScepStore scepStore;
    private final DerivedCredentialStore derivedCredentials;

    public PackageReconciler(DeliveryStore store, Outbox outbox, KeyEncryptionProvider keyEncryption,
            DeliveryConfig config, ScepPackaging scepPackaging, ScepStore scepStore,
            DerivedCredentialStore derivedCredentials) {
        this.derivedCredentials = derivedCredentials;
        this.scepPackaging = scepPackaging;
        this.scepStore = scepStore;
        this.store = store;
        this.outbox = outbox;
        this.keyEncryption = keyEncryption;
        this.profile = Pkcs12Profile.parse(config.pkcs12Encoding());
        this.iterations = config.pkcs12Iterations();
        this.planner = new PackagePlanner(profile.configName() + "/" + iterations);
    }

    /** Counts of the packages that a reconciliation built, failed, revoked and kept. */
    public record Outcome(int ready, int failed, int revoked, int unchanged) {
    }

    public Outcome reconcile(String userId) {
        Instant now = Instant.now();
        Optional<AssignedUser> user = store.user(userId);
        List<UserPolicy> policies = user.isPresent() ? store.policies(userId) : List.of();
        List<Device> devices = store.devicesOf(userId);
        Map<String, LivePackage> live = new HashMap<>();
        for (LivePackage pkg : store.livePackagesOf(userId)) {
            live.put(pkg.deviceId() + "\n" + pkg.policyId(), pkg);
        }

        Map<String, PackagePlan> plans = new HashMap<>();
        Map<String, BuiltPkcs12> pkcs12s = new HashMap<>();
        List<ImportedCertificate>[] imported = new List[1];
        Set<String> desired = new HashSet<>();
        int ready = 0;
        int failed = 0;
        int unchanged = 0;
        int revoked = 0;
        try {
            for (Device device : devices) {
                if (!device.receivesPackages()) {
                    continue;
                }
                for (UserPolicy policy : policies) {
                    if (!policy.settings().deployCertificates()) {
                        continue;
                    }
                    String key = device.deviceId() + "\n" + policy.policyId();
                    desired.add(key);
                    PackagePlan plan = plans.computeIfAbsent(policy.policyId(), id -> {
                        if (imported[0] == null) {
                            imported[0] = certificatesOf(user.get());
                        }
                        return planner.plan(user.get(), policy, imported[0], now);
                    });
                    List<DerivedCredential> derived = new ArrayList<>();
                    List<String> missingDerived = derivedCredentials(device, policy, now, derived);
                    String fingerprint = PackagePlanner.deviceFingerprint(plan, device.publicKeyPem());
                    if (!derived.isEmpty()) {
                        fingerprint = PackagePlanner.sha256Hex(fingerprint + "\n" + derived.stream()
                                .map(credential -> credential.purpose() + " " + credential.thumbprintSha256())
                                .collect(java.util.stream.Collectors.joining("\n")));
                    }
                    LivePackage existing = live.get(key);
                    if (existing != null && existing.fingerprint().equals(fingerprint) && !challengeLapsed(existing, now)) {
                        unchanged++;
                        continue;
                    }
                    if (existing != null) {
                        revoke(existing, "SUPERSEDED", now);
                        revoked++;
                    }
                    if (plan.failed()) {
                        fail(device, plan, fingerprint, plan.failureCode(), plan.failureDetail(), now);
                        failed++;
                        continue;
                    }
                    if (!missingDerived.isEmpty()) {
                        fail(device, plan, fingerprint, DERIVED_CREDENTIAL_MISSING, "Device " + device.deviceId()
                                + " has reported no valid derived credential for " + String.join(" and ", missingDerived)
                                + "; the user enrolls one with the derived-credential provider's app, and the device "
                                + "reports it to POST /api/devices/{deviceId}/derived-credentials", now);
                        failed++;
                        continue;
                    }
                    Optional<PublicKey> deviceKey = deviceKey(device);
                    if (deviceKey.isEmpty()) {
                        fail(device, plan, fingerprint, DEVICE_KEY_UNSUPPORTED, "The enrollment key of device "
                                + device.deviceId() + " is not an RSA key of at least 2048 bits or an EC key on P-256 or"
                                + " P-384; re-enroll the device with such a key", now);
                        failed++;
                        continue;
                    }
                    UUID packageId = UUID.randomUUID();
                    ScepInstructions scep = null;
                    if (plan.signingSource() == SigningSource.SCEP) {
                        try {
                            scep = scepPackaging.prepare(new ScepPackaging.Subject(device.userId(),
                                    plan.user().userPrincipalName(), plan.user().email(), device.deviceId()),
                                    policy.policyId(), policy.policyVersion(), policy.settings().scepProfile(), packageId);
                        } catch (ScepPackaging.ScepPackagingException e) {
                            fail(device, plan, fingerprint, e.reasonCode(), e.getMessage(), now);
                            failed++;
                            continue;
                        }
                    }
                    BuiltPkcs12 pkcs12 = pkcs12s.computeIfAbsent(policy.policyId(), id -> buildPkcs12(plan));
                    Envelope envelope;
                    try {
                        envelope = seal(device, deviceKey.get(), plan, pkcs12, scep, derived, packageId, now);
                    } catch (IllegalArgumentException e) {
                        fail(device, plan, fingerprint, DEVICE_KEY_UNSUPPORTED, "The enrollment key of device "
                                + device.deviceId() + " cannot receive a package: " + e.getMessage()
                                + "; re-enroll the device with an RSA key of at least 2048 bits or an EC key on P-256 or P-384",
                                now);
                        failed++;
                        continue;
                    }
                    store(device, plan, fingerprint, envelope.id(), envelope.body(), derived, now);
                    ready++;
                }
            }
            for (LivePackage pkg : live.values()) {
                if (desired.contains(pkg.deviceId() + "\n" + pkg.policyId())) {
                    continue;
                }
                boolean policyApplies = policies.stream().anyMatch(policy -> policy.policyId().equals(pkg.policyId())
                        && policy.settings().deployCertificates());
                revoke(pkg, policyApplies ? "DEVICE_RETIRED" : "POLICY_UNASSIGNED", now);
                revoked++;
            }
        } finally {
            pkcs12s.values().forEach(BuiltPkcs12::erase);
        }
        if (ready + failed + revoked > 0) {
            LOG.infof("Packages of user %s: %d ready, %d failed, %d revoked, %d unchanged", userId, ready, failed, revoked,
                    unchanged);
        }
        return new Outcome(ready, failed, revoked, unchanged);
    }

    private List<ImportedCertificate> certificatesOf(AssignedUser user) {
        Set<String> addresses = new HashSet<>();
        addresses.add(user.email());
        addresses.add(user.userPrincipalName().strip().toLowerCase(Locale.ROOT));
        return ImportedCertificate.list("ownerAddress in ?1 order by notBefore desc, thumbprintSha256", addresses);
    }

    private void revoke(LivePackage pkg, String reason, Instant now) {
        store.revokePackage(pkg.id(), reason, now);
        if (!reason.equals("SUPERSEDED")) {
            // A retired device or an unassigned user keeps no SCEP signing certificate of the policy.
            List<String> serials = scepStore.revokeCertificates(pkg.deviceId(), pkg.policyId(), reason, now);
            if (!serials.isEmpty()) {
                LOG.infof("Revoked SCEP certificate(s) %s of device %s, policy %s: %s", serials, pkg.deviceId(),
                        pkg.policyId(), reason);
            }
        }
        if (pkg.status() == PackageStatus.READY) {
            outbox.add(new PackageRevoked(pkg.id().toString(), pkg.deviceId(), pkg.userId(), pkg.policyId(),
                    pkg.policyVersion(), reason, now));
        }
    }

    private void fail(Device device, PackagePlan plan, String fingerprint, String reasonCode, String detail, Instant now) {
        UUID id = UUID.randomUUID();
        store.insertPackage(new LivePackage(id, device.deviceId(), device.userId(), plan.policy().policyId(),
                plan.policy().policyVersion(), PackageStatus.FAILED, fingerprint, List.of(), plan.signingSource(),
                reasonCode, detail, now, null), null);
        outbox.add(new PackageFailed(device.deviceId(), device.userId(), plan.policy().policyId(),
                plan.policy().policyVersion(), reasonCode, detail, now));
        LOG.infof("No package for device %s, policy %s v%d: %s", device.deviceId(), plan.policy().policyId(),
                plan.policy().policyVersion(), reasonCode);
    }

    /** An envelope and the package id written into it. */
    private record Envelope(UUID id, byte[] body) {
    }

    /**
     * Returns whether a READY package's SCEP challenge expired unused after the device downloaded it, so the
     * device needs a package with a new challenge.
     */
    private boolean challengeLapsed(LivePackage existing, Instant now) {
        return existing.status() == PackageStatus.READY && existing.signingSource() == SigningSource.SCEP
                && scepStore.challengeExpiredUnused(existing.id(), now);
    }

    /** Writes the package document for one device and envelopes it to the device's key. */
    private Envelope seal(Device device, PublicKey deviceKey, PackagePlan plan, BuiltPkcs12 pkcs12, ScepInstructions scep,
            List<DerivedCredential> derived, UUID id, Instant now) {
        PackageDocument document = new PackageDocument(PackageDocument.FORMAT, id.toString(), device.deviceId(),
                device.userId(), plan.user().userPrincipalName(), plan.user().email(), plan.policy().policyId(),
                plan.policy().policyVersion(), plan.policy().policyName(), now, manifest(plan, pkcs12, derived),
                new PackageDocument.Signing(plan.signingSource(), encryptionSource(plan)), scep,
                pkcs12 == null ? null : pkcs12.document(),
                plan.caCertificates().stream().map(PackageReconciler::pem).toList(), plan.appConfig());
        byte[] content = EventJson.toBytes(document);
        try {
            return new Envelope(id, PackageEnvelope.seal(content, deviceKey));
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    /** Stores a READY package and announces it. */
    private void store(Device device, PackagePlan plan, String fingerprint, UUID id, byte[] envelope,
            List<DerivedCredential> derived, Instant now) {
        List<PackagedCertificate> certificates = new ArrayList<>();
        plan.certificates().forEach(certificate -> certificates.add(certificate.event()));
        for (DerivedCredential credential : derived) {
            certificates.add(new PackagedCertificate(credential.thumbprintSha256(), role(credential),
                    credential.serialNumber(), credential.notAfter(), true));
        }
        for (X509Certificate ca : plan.caCertificates()) {
            certificates.add(new PackagedCertificate(thumbprint(ca, "SHA-256"), PackagePlanner.caRole(ca),
                    ca.getSerialNumber().toString(16), ca.getNotAfter().toInstant(), false));
        }
        store.insertPackage(new LivePackage(id, device.deviceId(), device.userId(), plan.policy().policyId(),
                plan.policy().policyVersion(), PackageStatus.READY, fingerprint, certificates, plan.signingSource(), null,
                null, now, null), envelope);
        outbox.add(new PackageReady(id.toString(), device.deviceId(), device.userId(), plan.policy().policyId(),
                plan.policy().policyVersion(), certificates, plan.signingSource(), now));
    }

    private static String encryptionSource(PackagePlan plan) {
        EncryptionProfileType type = plan.policy().settings().encryptionProfileType();
        return type == null ? "NONE" : type.name();
    }

    /**
     * Collects the device's current, valid derived credentials that the policy needs into {@code found} and
     * returns the purposes, "signing" or "encryption", for which none is known.
     */
    private List<String> derivedCredentials(Device device, UserPolicy policy, Instant now, List<DerivedCredential> found) {
        List<String> missing = new ArrayList<>();
        if (policy.settings().signingProfileType() == io.smimedelivery.events.SigningProfileType.DERIVED_CREDENTIAL) {
            derivedCredential(device, "SIGNING", now).ifPresentOrElse(found::add, () -> missing.add("signing"));
        }
        if (policy.settings().encryptionProfileType() == EncryptionProfileType.DERIVED_CREDENTIAL) {
            derivedCredential(device, "ENCRYPTION", now).ifPresentOrElse(found::add, () -> missing.add("encryption"));
        }
        return missing;
    }

    private Optional<DerivedCredential> derivedCredential(Device device, String purpose, Instant now) {
        return derivedCredentials.current(device.deviceId(), purpose)
                .filter(credential -> credential.notAfter().isAfter(now) && !credential.notBefore().isAfter(now));
    }

    private static CertificateRole role(DerivedCredential credential) {
        return credential.purpose().equals("SIGNING") ? CertificateRole.SIGNING : CertificateRole.ENCRYPTION;
    }

    private static List<ManifestEntry> manifest(PackagePlan plan, BuiltPkcs12 pkcs12, List<DerivedCredential> derived) {
        List<ManifestEntry> entries = new ArrayList<>();
        for (DerivedCredential credential : derived) {
            // The keys are already on the device, so the package names the certificates by thumbprint only.
            entries.add(new ManifestEntry(role(credential), true, credential.thumbprintSha256(), null,
                    credential.serialNumber(), credential.subject(), credential.issuer(), credential.notBefore(),
                    credential.notAfter(), false, null));
        }
        for (PlannedCertificate certificate : plan.certificates()) {
            var facts = certificate.facts();
            entries.add(new ManifestEntry(certificate.role(), certificate.current(), facts.thumbprintSha256(),
                    facts.thumbprintSha1(), facts.serialNumberHex(), facts.subjectDn(), facts.issuerDn(), facts.notBefore(),
                    facts.notAfter(), pkcs12 != null, pkcs12 == null ? null : pkcs12.friendlyNames().get(facts.thumbprintSha256())));
        }
        for (X509Certificate ca : plan.caCertificates()) {
            entries.add(new ManifestEntry(PackagePlanner.caRole(ca), false, thumbprint(ca, "SHA-256"), thumbprint(ca, "SHA-1"),
                    ca.getSerialNumber().toString(16), ca.getSubjectX500Principal().getName(),
                    ca.getIssuerX500Principal().getName(), ca.getNotBefore().toInstant(), ca.getNotAfter().toInstant(),
                    pkcs12 != null, null));
        }
        return entries;
    }

    /** Returns the device's enrollment key, or empty when it cannot receive an envelope. */
    static Optional<PublicKey> deviceKey(Device device) {
        try {
            return Optional.of(DevicePublicKeys.fromPem(device.publicKeyPem()));
        } catch (IllegalArgumentException e) {
            LOG.warnf("Device %s has an unusable enrollment key: %s", device.deviceId(), e.getMessage());
            return Optional.empty();
        }
    }

    /** Builds the PKCS#12 of a plan, or returns null when the plan delivers no key. */
    private BuiltPkcs12 buildPkcs12(PackagePlan plan) {
        if (plan.certificates().isEmpty()) {
            return null;
        }
        KeyEncryption encryption = keyEncryption.require();
        Map<String, KeyedCertificate> entries = new LinkedHashMap<>();
        Map<String, String> friendlyNames = new HashMap<>();
        for (PlannedCertificate certificate : plan.certificates()) {
            String thumbprint = certificate.facts().thumbprintSha256();
            String name = friendlyName(plan, certificate);
            if (entries.containsKey(thumbprint)) {
                continue;
            }
            friendlyNames.put(thumbprint, name);
            entries.put(thumbprint, new KeyedCertificate(privateKey(certificate.source(), encryption),
                    x509(certificate.source()), name));
        }
        char[] password = PackagePasswords.random();
        byte[] pkcs12 = pkcs12Builder.build(List.copyOf(entries.values()), plan.caCertificates(), password, profile,
                iterations);
        return new BuiltPkcs12(profile.configName(), password, pkcs12, friendlyNames);
    }

    /**
     * Names a key in the PKCS#12 by its roles, start date and short thumbprint, as the Keychain shows it.
     * Names are unique within the file, because readers such as the JDK's KeyStore keep one entry per name.
     */
    private static String friendlyName(PackagePlan plan, PlannedCertificate certificate) {
        String thumbprint = certificate.facts().thumbprintSha256();
        boolean encryption = plan.certificates().stream().anyMatch(other -> other.role() == CertificateRole.ENCRYPTION
                && other.facts().thumbprintSha256().equals(thumbprint));
        boolean signing = plan.certificates().stream().anyMatch(other -> other.role() == CertificateRole.SIGNING
                && other.facts().thumbprintSha256().equals(thumbprint));
        String roles = "S/MIME encryption";
        if (encryption && signing) {
            roles = "S/MIME signing and encryption";
        } else if (signing) {
            roles = "S/MIME signing";
        }
        return roles + " " + plan.user().email() + " " + certificate.facts().notBefore().toString().substring(0, 10)
                + " " + thumbprint.substring(0, 8);
    }

    private static PrivateKey privateKey(ImportedCertificate certificate, KeyEncryption encryption) {
        byte[] pkcs8 = encryption.decrypt(certificate.privateKeyEncrypted);
        try {
            String algorithm = x509(certificate).getPublicKey().getAlgorithm();
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The stored private key of certificate " + certificate.id + " cannot be read", e);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    private static X509Certificate x509(ImportedCertificate certificate) {
        try {
            return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(certificate.certificateDer));
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalStateException("Stored certificate " + certificate.id + " cannot be read", e);
        }
    }

    private static String thumbprint(X509Certificate certificate, String algorithm) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance(algorithm).digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " of a CA certificate failed", e);
        }
    }

    private static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                            .encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("A CA certificate cannot be encoded", e);
        }
    }

    /** A PKCS#12 built for one plan, shared by the envelopes of all the user's devices. */
    private record BuiltPkcs12(String encoding, char[] password, byte[] data, Map<String, String> friendlyNames) {

        PackageDocument.Pkcs12 document() {
            return new PackageDocument.Pkcs12(encoding, new String(password), Base64.getEncoder().encodeToString(data));
        }

        void erase() {
            Arrays.fill(password, '\0');
        }

        @Override
        public String toString() {
            return "BuiltPkcs12[" + encoding + "]";
        }
    }
}
