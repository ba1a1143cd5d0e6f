package dev.linkedaudiences.delivery.destination;

import io.smallrye.mutiny.Uni;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * A kind of destination (Iterable, Braze, webhooks; later Customer.io): turns one Segment message into the
 * destination's request for an action and sends it. Implementations are CDI beans found by {@link #type()}.
 */
public interface Destination {

    /** The destination type as activation-definitions names it, e.g. {@code iterable}. */
    String type();

    /**
     * Sends {@code message} for {@code action} with the destination's {@code settings} (secrets included).
     * Never fails: network errors and messages the destination cannot take are results too.
     */
    Uni<DeliveryResult> send(String action, Map<String, Object> message, Map<String, String> settings);

    /** The first of these settings that is absent or blank: an event then cannot be sent ({@code missing_setting}). */
    static Optional<String> missingSetting(Map<String, String> settings, String... names) {
        return Arrays.stream(names).filter(name -> settings.get(name) == null || settings.get(name).isBlank()).findFirst();
    }
}
