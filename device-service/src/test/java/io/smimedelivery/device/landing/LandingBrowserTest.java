package io.smimedelivery.device.landing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smimedelivery.infra.InfrastructureTestResource;

/**
 * Renders the landing page in headless Chromium at iPhone width (390 by 844 CSS pixels) and reads the
 * DOM and a screenshot. The tests are skipped when no {@code chromium} executable is installed, and
 * .ci/run installs Debian's chromium package. The browser only reaches the test app on 127.0.0.1.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "device"))
class LandingBrowserTest {

    static final int PHONE_WIDTH = 390;
    static final int PHONE_HEIGHT = 844;
    static final long BROWSER_TIMEOUT_SECONDS = 90;
    static final byte[] PNG_SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    static final Path OUTPUT = Path.of("target", "landing-browser");

    private static Path chromium;

    @Inject
    DataSource dataSource;

    @TestHTTPResource("/")
    URL testUrl;

    @BeforeAll
    static void findChromium() {
        chromium = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser").map(Path::of)
                .filter(Files::isExecutable).findFirst().orElse(null);
    }

    @Test
    void italianPageAtPhoneWidth() throws Exception {
        assumeTrue(chromium != null, "chromium is not installed (apt-get install chromium)");
        String page = readyDevicePage("it");

        String dom = dumpDom(page);
        assertTrue(dom.contains("<html lang=\"it\">"), dom);
        assertTrue(dom.contains("Pronti da installare"), dom);
        assertTrue(dom.contains("Apri Company Portal su questo dispositivo per installarli."), dom);
        assertTrue(dom.contains("Crittografia: 2 certificati."), dom);

        assertPhoneScreenshot(page, OUTPUT.resolve("landing-it.png"));
    }

    @Test
    void englishPageAtPhoneWidth() throws Exception {
        assumeTrue(chromium != null, "chromium is not installed (apt-get install chromium)");
        String page = readyDevicePage("it") + "&lang=en";

        String dom = dumpDom(page);
        assertTrue(dom.contains("<html lang=\"en\">"), dom);
        assertTrue(dom.contains("Ready to install"), dom);
        assertTrue(dom.contains("Open Company Portal on this device to install them."), dom);
        assertTrue(dom.contains("Encryption: 2 certificates."), dom);

        assertPhoneScreenshot(page, OUTPUT.resolve("landing-en.png"));
    }

    /** Stores a READY device and returns its page URL on 127.0.0.1. */
    private String readyDevicePage(String language) {
        String suffix = UUID.randomUUID().toString();
        String deviceId = "dev-" + suffix;
        LandingPageTest.readyDevice(new LandingRows(dataSource), deviceId, "usr-" + suffix, language);
        return "http://127.0.0.1:" + testUrl.getPort() + "/landing/" + deviceId + "?policy=pol-mail";
    }

    /** Returns the DOM after the page loaded. Chromium exits with 0 even when loading failed. */
    private static String dumpDom(String page) throws Exception {
        BrowserRun run = runChromium(page, "--dump-dom");
        assertFalse(run.output().isBlank(), "chromium printed no DOM for " + page + ", stderr: " + run.errors());
        return run.output();
    }

    private void assertPhoneScreenshot(String page, Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);

        BrowserRun run = runChromium(page, "--screenshot=" + file.toAbsolutePath());

        assertTrue(Files.isRegularFile(file), "no screenshot at " + file + ", stderr: " + run.errors());
        try (InputStream input = Files.newInputStream(file); DataInputStream png = new DataInputStream(input)) {
            byte[] signature = png.readNBytes(PNG_SIGNATURE.length);
            assertArrayEquals(PNG_SIGNATURE, signature, "PNG signature");
            // The first chunk is IHDR: a 4-byte length, the type, then width and height as big-endian ints.
            int chunkLength = png.readInt();
            byte[] chunkType = png.readNBytes(4);
            assertEquals(13, chunkLength, "IHDR length");
            assertEquals("IHDR", new String(chunkType, StandardCharsets.US_ASCII));
            assertEquals(PHONE_WIDTH, png.readInt(), "screenshot width in pixels");
            assertEquals(PHONE_HEIGHT, png.readInt(), "screenshot height in pixels");
        }
    }

    /** Standard output and standard error of one Chromium run. */
    private record BrowserRun(String output, String errors) {
    }

    /**
     * Runs headless Chromium once on {@code page} with one action flag.
     * The profile is a fresh temporary folder, deleted afterwards. Background services, QUIC and proxies are
     * off, and every host name but 127.0.0.1 resolves to nothing, so the browser contacts no other address.
     */
    private static BrowserRun runChromium(String page, String action) throws Exception {
        Path profile = Files.createTempDirectory("landing-chromium-");
        Path stdout = profile.resolveSibling(profile.getFileName() + ".out");
        Path stderr = profile.resolveSibling(profile.getFileName() + ".err");
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps",
                "--no-default-browser-check", "--no-proxy-server", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--user-data-dir=" + profile, "--window-size=" + PHONE_WIDTH + "," + PHONE_HEIGHT,
                "--hide-scrollbars"));
        command.add(action);
        command.add(page);

        Process browser = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        try {
            boolean finished = browser.waitFor(BROWSER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertTrue(finished, "chromium did not finish within " + BROWSER_TIMEOUT_SECONDS + " s: "
                    + Files.readString(stderr));
            assertEquals(0, browser.exitValue(), "chromium exit code, stderr: " + Files.readString(stderr));
            return new BrowserRun(Files.readString(stdout), Files.readString(stderr));
        } finally {
            stopBrowser(browser);
            deleteTree(profile);
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    /** Stops the browser process that this test started, and its child processes, if still running. */
    private static void stopBrowser(Process browser) throws InterruptedException {
        List<ProcessHandle> children = browser.descendants().toList();
        browser.destroy();
        if (!browser.waitFor(10, TimeUnit.SECONDS)) {
            browser.destroyForcibly();
        }
        for (ProcessHandle child : children) {
            child.destroy();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
