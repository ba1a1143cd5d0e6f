package dev.linkedaudiences.delivery.destination;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How one destination sends one kind of message (a track event, a user update) with one destination's settings:
 * everything the shared {@link BatchSender} needs to cut a batch into requests, send them and read the answers.
 * The request builders (one class per destination and kind, e.g. {@code IterableTrackEvent}) supply {@link #item}.
 */
public interface Route {

    Endpoint endpoint();

    /** The absolute URL the requests go to. */
    String url();

    /**
     * Whether the request's item is the stored message itself, byte for byte (a webhook): then neither
     * {@link #refusal} nor {@link #item} is asked, and the message is never parsed.
     */
    default boolean sendsMessageAsIs() {
        return false;
    }

    /** Why this message cannot be sent at all (e.g. {@code missing_identifier}), or empty. */
    default Optional<String> refusal(Map<String, Object> message) {
        return Optional.empty();
    }

    /** The message as one item of the destination's request. */
    Object item(Map<String, Object> message);

    /**
     * The field of the batch body that holds the items ({@code {"<field>": [...]}}), or null for an endpoint whose
     * body is the item itself.
     */
    String batchField();

    /** The request headers (besides {@code Content-Type}) for this body. */
    Map<String, String> headers(byte[] body);

    /** The field of a refusal's JSON reply that explains it ({@code msg} for Iterable, ...). */
    String messageField();

    /**
     * The items a 2xx reply refused, by their index in {@code messages} (the messages of that request), with the
     * reason; the others succeeded. None by default.
     */
    default Map<Integer, String> refusedItems(JsonNode reply, List<Map<String, Object>> messages) {
        return Map.of();
    }
}
