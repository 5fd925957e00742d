package io.smimedelivery.simulator;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The options of one command, given as {@code --name value} or {@code --name=value}. Every option takes
 * a value except {@code --help}.
 */
final class Arguments {

    /** Device ids as device-service accepts them; the simulator also uses them as folder names. */
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final String command;
    private final Map<String, String> values;
    private final boolean help;

    private Arguments(String command, Map<String, String> values, boolean help) {
        this.command = command;
        this.values = values;
        this.help = help;
    }

    /**
     * Parses the arguments after the command name.
     *
     * @param allowed option names without the leading dashes
     * @throws UsageException for an unknown option, a missing value or a repeated option
     */
    static Arguments parse(String command, List<String> arguments, Set<String> allowed) {
        Map<String, String> values = new LinkedHashMap<>();
        boolean help = false;
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (argument.equals("--help") || argument.equals("-h")) {
                help = true;
                continue;
            }
            if (!argument.startsWith("--") || argument.length() == 2) {
                throw new UsageException("Unexpected argument \"" + argument + "\" for " + command
                        + ". Options start with --; see " + command + " --help.");
            }
            String name = argument.substring(2);
            String value;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            } else if (i + 1 < arguments.size() && !arguments.get(i + 1).startsWith("--")) {
                value = arguments.get(++i);
            } else {
                throw new UsageException("Option --" + name + " needs a value; see " + command + " --help.");
            }
            if (!allowed.contains(name)) {
                throw new UsageException("Unknown option --" + name + " for " + command + "; see " + command + " --help.");
            }
            if (values.putIfAbsent(name, value) != null) {
                throw new UsageException("Option --" + name + " is given twice; give it once.");
            }
        }
        return new Arguments(command, values, help);
    }

    boolean help() {
        return help;
    }

    String required(String name) {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            throw new UsageException("Missing option --" + name + " for " + command + "; see " + command + " --help.");
        }
        return value;
    }

    String orDefault(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    /** Returns an integer option between minimum and maximum, or the default when it is missing. */
    int integer(String name, int defaultValue, int minimum, int maximum) {
        String text = values.get(name);
        if (text == null) {
            return defaultValue;
        }
        int value;
        try {
            value = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            value = Integer.MIN_VALUE;
        }
        if (value < minimum || value > maximum) {
            throw new UsageException("Invalid --" + name + " \"" + text + "\": use a whole number from " + minimum
                    + " to " + maximum + ".");
        }
        return value;
    }

    /** Returns the device id option, checked so that it is a valid device id and a safe folder name. */
    String deviceId() {
        String deviceId = required("device-id");
        if (!DEVICE_ID.matcher(deviceId).matches() || deviceId.equals(".") || deviceId.equals("..")) {
            throw new UsageException("Invalid --device-id \"" + deviceId
                    + "\": use 1 to 128 letters, digits, dots, dashes or underscores.");
        }
        return deviceId;
    }

    /** Returns a service base URL option, without a trailing slash. */
    URI serviceUrl(String name, String defaultValue) {
        String text = orDefault(name, defaultValue);
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new UsageException("Invalid --" + name + " \"" + text + "\": " + e.getReason() + ".");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new UsageException("Invalid --" + name + " \"" + text
                    + "\": use an http or https URL with a host, such as " + defaultValue + ".");
        }
        String withoutSlash = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        return URI.create(withoutSlash);
    }
}
