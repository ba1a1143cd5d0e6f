package dev.linkedaudiences.delivery.destination;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The route of a vendor's JSON API (Iterable, Braze, Customer.io): fixed headers that carry the credentials, one
 * item per message from the destination's request builder, and messages that need a Segment identifier. The
 * vendors differ only in these parameters and in how a 2xx reply names the items it refused.
 *
 * @param batchField   the body field holding the items, or null for an endpoint that takes one item as the body
 * @param messageField the field of a refusal's JSON reply that explains it
 */
public record JsonApiRoute(Endpoint endpoint, String url, String batchField, Map<String, String> headers,
                           Function<Map<String, Object>, Object> builder, String messageField, RefusedItems refusedItems)
        implements Route {

    /** How a 2xx reply names the items it refused: their index in the request's messages, with the reason. */
    @FunctionalInterface
    public interface RefusedItems {
        RefusedItems NONE = (reply, messages) -> Map.of();

        Map<Integer, String> in(JsonNode reply, List<Map<String, Object>> messages);
    }

    @Override
    public Optional<String> refusal(Map<String, Object> message) {
        return SegmentMessage.identifierRefusal(message);
    }

    @Override
    public Object item(Map<String, Object> message) {
        return builder.apply(message);
    }

    @Override
    public Map<String, String> headers(byte[] body) {
        return headers;
    }

    @Override
    public Map<Integer, String> refusedItems(JsonNode reply, List<Map<String, Object>> messages) {
        return refusedItems.in(reply, messages);
    }

    /** Not the record's default: the headers hold the credentials. */
    @Override
    public String toString() {
        return endpoint.name() + " " + url;
    }
}
