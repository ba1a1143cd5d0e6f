package dev.linkedaudiences.delivery.destination;

import java.util.LinkedHashMap;
import java.util.Map;

/** Segment messages for destination tests. */
public final class Messages {

    private Messages() {
    }

    /** A track message of {@code userId} and/or {@code email} (either may be null). */
    public static Map<String, Object> track(String messageId, String userId, String email) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "track");
        message.put("event", "abandoned_carts_linked_audience");
        message.put("messageId", messageId);
        message.put("timestamp", "2026-11-24T08:00:00Z");
        if (userId != null) {
            message.put("userId", userId);
        }
        message.put("context", email == null ? Map.of("traits", Map.of()) : Map.of("traits", Map.of("email", email)));
        message.put("properties", Map.of("first_name", "Andrew", "cart_updated_at", "2026-11-23T17:45:12+01:00",
                "birthday", "1990-04-01"));
        return message;
    }

    /** An identify message (the membership_changed trigger) of {@code userId} and/or {@code email}. */
    public static Map<String, Object> identify(String messageId, String userId, String email) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "identify");
        message.put("messageId", messageId);
        message.put("timestamp", "2026-11-24T08:00:00Z");
        if (userId != null) {
            message.put("userId", userId);
        }
        message.put("context", email == null ? Map.of("traits", Map.of()) : Map.of("traits", Map.of("email", email)));
        message.put("traits", Map.of("abandoned_carts", true, "first_name", "Andrew", "last_order_at", "2026-11-20T10:00:00Z"));
        return message;
    }
}
