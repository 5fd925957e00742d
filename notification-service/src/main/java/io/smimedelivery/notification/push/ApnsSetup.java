package io.smimedelivery.notification.push;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The parts of {@link ApnsClient} built from {@link PushConfig}: the gateway URL, the token signer and the
 * HTTP client. When a setting is missing or invalid, the parts that depend on it are null and
 * {@link #problems()} names the setting.
 */
final class ApnsSetup {

    static final String GATEWAY_URL = "smime.push.gateway-url";
    static final String TEAM_ID = "smime.push.team-id";
    static final String KEY_ID = "smime.push.key-id";
    static final String PRIVATE_KEY_FILE = "smime.push.private-key-file";
    static final String PRIVATE_KEY = "smime.push.private-key";
    static final String TOPIC = "smime.push.topic";
    static final String CONNECT_TIMEOUT = "smime.push.connect-timeout";
    static final String REQUEST_TIMEOUT = "smime.push.request-timeout";
    static final String TRUST_STORE_FILE = "smime.push.trust-store-file";

    private final List<String> problems = new ArrayList<>();
    private String gatewayUrl;
    private ApnsTokenSigner signer;
    private HttpClient httpClient;

    private ApnsSetup() {
    }

    /** Builds every part whose settings are valid and records a problem for each setting that is not. */
    static ApnsSetup resolve(PushConfig config, Clock clock) {
        ApnsSetup setup = new ApnsSetup();
        setup.gatewayUrl = setup.checkGatewayUrl(config.gatewayUrl());
        if (config.topic().isBlank()) {
            setup.problems.add(TOPIC + " is empty.");
        }
        setup.signer = setup.createSigner(config, clock);
        setup.httpClient = setup.createHttpClient(config);
        return setup;
    }

    /** Returns true if every setting is valid, so that all parts are built. */
    boolean ready() {
        return problems.isEmpty();
    }

    /** Returns one sentence per missing or invalid setting, each naming the setting. */
    List<String> problems() {
        return List.copyOf(problems);
    }

    /** Returns the gateway URL without a trailing slash, or null if it is invalid. */
    String gatewayUrl() {
        return gatewayUrl;
    }

    /** Returns the token signer, or null if the team id, key id or key is missing or invalid. */
    ApnsTokenSigner signer() {
        return signer;
    }

    /** Returns the HTTP/2 client, or null if a timeout or the trust store is invalid. */
    HttpClient httpClient() {
        return httpClient;
    }

    private String checkGatewayUrl(String value) {
        String trimmed = value.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            URI uri = new URI(trimmed);
            if ("https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null
                    && uri.getRawQuery() == null && uri.getRawFragment() == null) {
                return trimmed;
            }
        } catch (URISyntaxException e) {
            // Reported below like any other URL that is not an https URL.
        }
        problems.add(GATEWAY_URL + " must be an https URL without query or fragment, such as "
                + "https://api.push.apple.com, but is '" + value + "'.");
        return null;
    }

    private ApnsTokenSigner createSigner(PushConfig config, Clock clock) {
        Optional<String> teamId = nonBlank(config.teamId());
        Optional<String> keyId = nonBlank(config.keyId());
        if (teamId.isEmpty()) {
            problems.add(TEAM_ID + " is missing.");
        }
        if (keyId.isEmpty()) {
            problems.add(KEY_ID + " is missing.");
        }
        PrivateKey key = readPrivateKey(config);
        if (teamId.isEmpty() || keyId.isEmpty() || key == null) {
            return null;
        }
        try {
            return new ApnsTokenSigner(teamId.get(), keyId.get(), key, clock);
        } catch (IllegalArgumentException e) {
            problems.add(keySource(config) + " is unusable. " + e.getMessage() + ".");
            return null;
        }
    }

    private PrivateKey readPrivateKey(PushConfig config) {
        Optional<Path> file = config.privateKeyFile();
        Optional<String> inline = nonBlank(config.privateKey());
        if (file.isPresent() && inline.isPresent()) {
            problems.add("Set only one of " + PRIVATE_KEY_FILE + " and " + PRIVATE_KEY + ".");
            return null;
        }
        if (file.isEmpty() && inline.isEmpty()) {
            problems.add(PRIVATE_KEY_FILE + " or " + PRIVATE_KEY + " is missing.");
            return null;
        }

        String source = keySource(config);
        String pem;
        if (file.isPresent()) {
            try {
                pem = Files.readString(file.get(), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                problems.add(source + " cannot be read: " + e.getClass().getSimpleName() + ".");
                return null;
            }
        } else {
            pem = inline.get();
        }
        try {
            return ApnsSigningKeys.parsePkcs8Pem(pem);
        } catch (IllegalArgumentException e) {
            problems.add(source + " " + e.getMessage() + ".");
            return null;
        }
    }

    /** Names the key setting in use, with the file path if it is a file. */
    private static String keySource(PushConfig config) {
        return config.privateKeyFile().map(file -> PRIVATE_KEY_FILE + " " + file).orElse(PRIVATE_KEY);
    }

    private HttpClient createHttpClient(PushConfig config) {
        // Both checks run so that both timeouts are reported.
        boolean timeoutsValid = checkPositive(CONNECT_TIMEOUT, config.connectTimeout())
                & checkPositive(REQUEST_TIMEOUT, config.requestTimeout());
        SSLContext sslContext = null;
        if (config.trustStoreFile().isPresent()) {
            sslContext = loadTrustStore(config.trustStoreFile().get(), config.trustStorePassword());
        }
        if (!timeoutsValid || (config.trustStoreFile().isPresent() && sslContext == null)) {
            return null;
        }

        // With version HTTP_2 and an https URL, the JDK negotiates h2 through TLS ALPN.
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.connectTimeout());
        if (sslContext != null) {
            builder.sslContext(sslContext);
        }
        return builder.build();
    }

    private boolean checkPositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            problems.add(name + " must be positive, but is " + value + ".");
            return false;
        }
        return true;
    }

    private SSLContext loadTrustStore(Path file, Optional<String> password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore trustStore = KeyStore.getInstance("PKCS12");
            trustStore.load(in, password.map(String::toCharArray).orElse(null));
            if (trustStore.size() == 0) {
                // Without a password, the JDK skips the encrypted certificates of a PKCS#12 file.
                problems.add(TRUST_STORE_FILE + " " + file + " contains no readable certificates"
                        + (password.isEmpty() ? ". Set smime.push.trust-store-password." : "."));
                return null;
            }
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trustStore);
            SSLContext sslContext = SSLContext.getInstance("TLS");
            sslContext.init(null, trustManagers.getTrustManagers(), null);
            return sslContext;
        } catch (IOException | GeneralSecurityException e) {
            String cause = e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            problems.add(TRUST_STORE_FILE + " " + file + " cannot be loaded as PKCS#12 (" + cause + ").");
            return null;
        }
    }

    private static Optional<String> nonBlank(Optional<String> value) {
        return value.map(String::strip).filter(text -> !text.isEmpty());
    }
}
