package io.smimedelivery.certificate.rotation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.smimedelivery.certificate.crypto.KeyEncryption;
import io.smimedelivery.certificate.crypto.KeyEncryptionProvider;

/**
 * Counts the stored encrypted values by key id and compares them with the configured keys. The result
 * tells an administrator which old key ids still encrypt data, which can be removed from
 * {@code smime.kek.keys}, and which stored key ids are not configured at all.
 */
@ApplicationScoped
public class KeyEncryptionInventory {

    private static final Logger LOG = Logger.getLogger(KeyEncryptionInventory.class);

    private final KeyRotationStore store;
    private final KeyEncryptionProvider keyEncryption;

    public KeyEncryptionInventory(KeyRotationStore store, KeyEncryptionProvider keyEncryption) {
        this.store = store;
        this.keyEncryption = keyEncryption;
    }

    /** The values of one encrypted column under one key id. */
    public record StoredValues(String table, String column, String keyId, long count, boolean configured) {
    }

    /**
     * Key ids and counts.
     *
     * @param currentKeyId     the key id that encrypts new data, or null when no key is configured
     * @param configuredKeyIds every key id in {@code smime.kek.keys}, sorted
     * @param valuesByKeyId    stored values per key id, over all columns, configured ids included with 0
     * @param storedValues     stored values per column and key id
     * @param missingKeyIds    key ids of stored values that are not configured; those values cannot be decrypted
     * @param removableKeyIds  configured key ids, other than the current one, that no stored value uses
     */
    public record Inventory(String currentKeyId, List<String> configuredKeyIds, Map<String, Long> valuesByKeyId,
            List<StoredValues> storedValues, List<String> missingKeyIds, List<String> removableKeyIds) {
    }

    public Inventory inventory() {
        Optional<KeyEncryption> encryption = keyEncryption.current();
        Set<String> configured = encryption.map(e -> (Set<String>) new TreeSet<>(e.keyIds())).orElse(new TreeSet<>());
        List<KeyRotationStore.KeyIdCount> counts = QuarkusTransaction.requiringNew().call(store::countByKeyId);

        Map<String, Long> byKeyId = new LinkedHashMap<>();
        configured.forEach(keyId -> byKeyId.put(keyId, 0L));
        List<StoredValues> stored = new ArrayList<>();
        Set<String> missing = new TreeSet<>();
        for (KeyRotationStore.KeyIdCount count : counts) {
            boolean known = configured.contains(count.keyId());
            stored.add(new StoredValues(count.column().table(), count.column().column(), count.keyId(), count.count(),
                    known));
            byKeyId.merge(count.keyId(), count.count(), Long::sum);
            if (!known) {
                missing.add(count.keyId());
            }
        }
        String current = encryption.map(KeyEncryption::currentKeyId).orElse(null);
        List<String> removable = configured.stream()
                .filter(keyId -> !keyId.equals(current) && byKeyId.getOrDefault(keyId, 0L) == 0).toList();
        return new Inventory(current, List.copyOf(configured), byKeyId, stored, List.copyOf(missing), removable);
    }

    /** Logs an error at start when stored values use key ids that are not configured. */
    void onStart(@Observes StartupEvent event) {
        Inventory inventory;
        try {
            inventory = inventory();
        } catch (RuntimeException e) {
            LOG.warnf("Counting the stored encrypted values by key id failed: %s", e.getMessage());
            return;
        }
        if (!inventory.missingKeyIds().isEmpty()) {
            Map<String, Long> missing = new LinkedHashMap<>();
            inventory.missingKeyIds().forEach(keyId -> missing.put(keyId, inventory.valuesByKeyId().get(keyId)));
            LOG.errorf("Stored values use key-encryption key ids that are not configured, so they cannot be decrypted"
                    + " (values per key id: %s); add each id with its key to SMIME_KEK_KEYS (smime.kek.keys) and"
                    + " restart", missing);
        }
        if (!inventory.removableKeyIds().isEmpty()) {
            LOG.infof("Key-encryption key ids %s encrypt no stored value and may be removed from SMIME_KEK_KEYS",
                    inventory.removableKeyIds());
        }
    }
}
