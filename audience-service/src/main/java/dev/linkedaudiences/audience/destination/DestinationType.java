package dev.linkedaudiences.audience.destination;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What each destination type takes: its settings, which of them are secrets (write-only), which are URLs (checked
 * against the outgoing URL policy), which take one of a few values, the endpoints whose rate limit
 * {@code rateLimit.<endpoint>} may set, whether {@code header.<Name>} settings are allowed, and its actions.
 * Every type also takes {@code retryWindow} (an ISO-8601 duration). delivery-service's README lists what each means.
 */
public record DestinationType(String type, Set<String> requiredSettings, Set<String> optionalSettings,
                              Set<String> secretSettings, Set<String> urlSettings, Map<String, Set<String>> choices,
                              Set<String> rateLimitedEndpoints, boolean headers, List<String> actions) {
    static final String RETRY_WINDOW = "retryWindow";
    static final String RATE_LIMIT_PREFIX = "rateLimit.";
    static final String HEADER_PREFIX = "header.";
    private static final Set<String> BOOLEAN = Set.of("true", "false");

    public static final Map<String, DestinationType> SUPPORTED = Map.of(
            "iterable", new DestinationType("iterable", Set.of("apiKey"), Set.of("dataCenter", "baseUrl", "bulk"),
                    Set.of("apiKey"), Set.of("baseUrl"), Map.of("dataCenter", Set.of("us", "eu"), "bulk", BOOLEAN),
                    Set.of("track", "trackBulk", "update", "bulkUpdate"), false, List.of("trackEvent", "updateUser")),
            "webhook", new DestinationType("webhook", Set.of("url", "secret"), Set.of("bulk"),
                    Set.of("secret"), Set.of("url"), Map.of("bulk", BOOLEAN), Set.of("send", "batch"), true, List.of("send")),
            "braze", new DestinationType("braze", Set.of("apiKey", "endpoint"), Set.of("appId"),
                    Set.of("apiKey"), Set.of("endpoint"), Map.of(), Set.of("usersTrack"), false,
                    List.of("trackEvent", "updateUserProfile")),
            "customerio", new DestinationType("customerio", Set.of("siteId", "apiKey"), Set.of("region", "baseUrl", "bulk"),
                    Set.of("apiKey"), Set.of("baseUrl"), Map.of("region", Set.of("us", "eu"), "bulk", BOOLEAN),
                    Set.of("entity", "batch"), false, List.of("trackEvent", "identify")));

    public static Optional<DestinationType> of(String type) {
        return Optional.ofNullable(type).map(SUPPORTED::get);
    }
}
