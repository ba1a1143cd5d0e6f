package dev.linkedaudiences.delivery.destination.customerio;

import dev.linkedaudiences.delivery.destination.SegmentMessage;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One person entity of Customer.io's Track API v2 ({@code POST /api/v2/entity}, or an element of {@code batch} of
 * {@code POST /api/v2/batch}): {@code "type": "person"}, {@code identifiers} ({@code id} = userId, else
 * {@code email}), and either {@code "action": "event"} with {@code id} = messageId (Customer.io dedupes on it),
 * {@code name} = event, {@code timestamp} in Unix seconds and the properties as {@code attributes}, or
 * {@code "action": "identify"} with the traits (and the email, when known) as {@code attributes}.
 */
public final class CustomerIoEntity {

    private CustomerIoEntity() {
    }

    public static Map<String, Object> event(Map<String, Object> message) {
        Map<String, Object> entity = person(message, "event");
        entity.put("id", message.get("messageId"));
        entity.put("name", message.get("event"));
        SegmentMessage.timestamp(message).ifPresent(at -> entity.put("timestamp", at.toEpochSecond()));
        entity.put("attributes", SegmentMessage.fields(message));
        return entity;
    }

    public static Map<String, Object> identify(Map<String, Object> message) {
        Map<String, Object> entity = person(message, "identify");
        SegmentMessage.timestamp(message).ifPresent(at -> entity.put("timestamp", at.toEpochSecond()));
        Map<String, Object> attributes = new LinkedHashMap<>();
        SegmentMessage.fields(message).forEach((name, value) -> attributes.put(String.valueOf(name), value));
        SegmentMessage.email(message).ifPresent(email -> attributes.put("email", email));
        entity.put("attributes", attributes);
        return entity;
    }

    private static Map<String, Object> person(Map<String, Object> message, String action) {
        Map<String, Object> entity = new LinkedHashMap<>();
        entity.put("type", "person");
        entity.put("identifiers", SegmentMessage.userId(message).map(id -> Map.of("id", id))
                .or(() -> SegmentMessage.email(message).map(email -> Map.of("email", email)))
                .orElse(Map.of()));
        entity.put("action", action);
        return entity;
    }
}
