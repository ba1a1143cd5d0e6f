package dev.linkedaudiences.audience.destination;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What each destination type takes: its settings, which of them are secrets (write-only), and its actions.
 * Iterable, webhooks and Braze deliver today; the others are accepted once delivery-service can send to them.
 */
public record DestinationType(String type, Set<String> requiredSettings, Set<String> optionalSettings,
                              Set<String> secretSettings, List<String> actions) {

    public static final Map<String, DestinationType> SUPPORTED = Map.of(
            "iterable", new DestinationType("iterable", Set.of("apiKey"), Set.of("dataCenter", "baseUrl"),
                    Set.of("apiKey"), List.of("trackEvent")),
            // Extra headers (delivery-service's "header.<Name>" settings) are not configurable through the API yet.
            "webhook", new DestinationType("webhook", Set.of("url", "secret"), Set.of(),
                    Set.of("secret"), List.of("send")),
            "braze", new DestinationType("braze", Set.of("apiKey", "endpoint"), Set.of("appId"),
                    Set.of("apiKey"), List.of("trackEvent")));

    public static Optional<DestinationType> of(String type) {
        return Optional.ofNullable(type).map(SUPPORTED::get);
    }
}
