package dev.linkedaudiences.delivery.destination;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * A kind of destination (Iterable, Braze, Customer.io, webhooks): for an action and a destination's settings, the
 * {@link Route} its messages take. Sending itself ({@link BatchSender}) is shared: batching, rate limits, the URL
 * policy, the answer and per-item failures. Implementations are CDI beans found by {@link #type()}.
 */
public interface Destination {

    /** The destination type as activation-definitions names it, e.g. {@code iterable}. */
    String type();

    /**
     * The route of the messages of {@code action}; {@code identify} for identify messages (the
     * {@code membership_changed} trigger), which go to the destination's user-update endpoint whatever the action.
     *
     * @throws CannotSend when the action or the settings do not allow sending
     */
    Route route(String action, boolean identify, Map<String, String> settings);

    /** The first of these settings that is absent or blank: an event then cannot be sent ({@code missing_setting}). */
    static Optional<String> missingSetting(Map<String, String> settings, String... names) {
        return Arrays.stream(names).filter(name -> settings.get(name) == null || settings.get(name).isBlank()).findFirst();
    }

    /** Throws {@link CannotSend} {@code missing_setting: <name>} for the first missing setting. */
    static void requireSettings(Map<String, String> settings, String... names) {
        missingSetting(settings, names).ifPresent(name -> {
            throw new CannotSend("missing_setting: " + name);
        });
    }

    /** Whether the {@code bulk} setting asks for the batch endpoints ({@code true}/{@code false}; else the default). */
    static boolean bulk(Map<String, String> settings, boolean byDefault) {
        String bulk = settings.get("bulk");
        return bulk == null || bulk.isBlank() ? byDefault : Boolean.parseBoolean(bulk.strip());
    }

    /**
     * The API's base URL: the {@code baseUrl} setting when given (a proxy, or a test server), else the EU or US
     * host as the region setting {@code regionSetting} says (US unless it says {@code eu}).
     */
    static String baseUrl(Map<String, String> settings, String regionSetting, String us, String eu) {
        String override = settings.get("baseUrl");
        if (override != null && !override.isBlank()) {
            return trimSlash(override);
        }
        return "eu".equalsIgnoreCase(settings.get(regionSetting)) ? eu : us;
    }

    /** {@code base} without a trailing slash. */
    static String trimSlash(String base) {
        String stripped = base.strip();
        return stripped.endsWith("/") ? stripped.substring(0, stripped.length() - 1) : stripped;
    }
}
