package io.smimedelivery.device.landing;

import java.util.List;

/** View records of the landing page templates. Their texts are already in the page's language. */
public final class LandingViews {

    private LandingViews() {
    }

    /**
     * The status page of a device.
     *
     * @param language {@code it} or {@code en}
     * @param deviceLabel platform and model
     */
    public record DevicePage(String language, String deviceLabel, List<PolicyView> policies) {
    }

    /**
     * The delivery of one policy to the device.
     *
     * @param tone CSS class of the state: {@code done}, {@code waiting}, {@code failed} or {@code removed}
     * @param problem why the delivery failed, or null
     * @param certificates one sentence per line about the package's certificates; empty without a package
     * @param updated when the status last changed, formatted, or null
     */
    public record PolicyView(String name, String state, String tone, String next, String problem,
            List<String> certificates, String updated) {
    }

    /**
     * A page with a single message: an unknown device, a retired device, or a policy that the device
     * does not have.
     *
     * @param deviceLabel platform and model, or null for an unknown device
     */
    public record NoticePage(String language, String title, String body, String deviceLabel) {
    }
}
