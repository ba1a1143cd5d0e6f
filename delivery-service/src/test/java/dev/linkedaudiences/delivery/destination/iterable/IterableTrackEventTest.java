package dev.linkedaudiences.delivery.destination.iterable;

import dev.linkedaudiences.delivery.destination.SegmentMessage;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IterableTrackEventTest {

    private static Map<String, Object> message(String userId, String email) {
        Map<String, Object> message = new HashMap<>();
        message.put("type", "track");
        message.put("event", "abandoned_carts_linked_audience");
        message.put("messageId", "01JDQ5Y8G0R4V7K2M9T3X6B1ZC");
        message.put("timestamp", "2026-11-24T08:00:00Z");
        if (userId != null) {
            message.put("userId", userId);
        }
        message.put("context", email == null ? Map.of("traits", Map.of())
                : Map.of("traits", Map.of("email", email), "personas", Map.of("computation_key", "abandoned_carts")));
        message.put("properties", Map.of(
                "first_name", "Andrew",
                "last_seen", "2026-11-23T17:45:12.345+01:00",
                "birthday", "1990-04-01",
                "shopping_cart__products", List.of(Map.of("id", "324", "added_at", "2026-11-20T10:00:00Z")),
                "__entity", "cart"));
        return message;
    }

    @Test
    void mapsTheSegmentMessageToATrackBody() {
        Map<String, Object> body = IterableTrackEvent.item(message("u123", "andrew@example.com"));

        assertEquals(List.of("email", "userId", "eventName", "id", "createdAt", "dataFields"), List.copyOf(body.keySet()));
        assertEquals("andrew@example.com", body.get("email"));
        assertEquals("u123", body.get("userId"));
        assertEquals("abandoned_carts_linked_audience", body.get("eventName"));
        assertEquals("01JDQ5Y8G0R4V7K2M9T3X6B1ZC", body.get("id"));
        assertEquals(1795507200L, body.get("createdAt")); // 2026-11-24T08:00:00Z in Unix seconds
    }

    @Test
    void dataFieldsCarryIterableDatesInUtcAndLeaveDatesAlone() {
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) IterableTrackEvent.item(message("u123", null)).get("dataFields");

        assertEquals("Andrew", fields.get("first_name"));
        assertEquals("2026-11-23 16:45:12 +00:00", fields.get("last_seen"));
        assertEquals("1990-04-01", fields.get("birthday"));
        assertEquals("cart", fields.get("__entity"));
        assertEquals(List.of(Map.of("id", "324", "added_at", "2026-11-20 10:00:00 +00:00")), fields.get("shopping_cart__products"));
    }

    @Test
    void onlyThePresentIdentifiersAreSent() {
        Map<String, Object> byEmail = IterableTrackEvent.item(message(null, "andrew@example.com"));
        assertFalse(byEmail.containsKey("userId"));
        assertEquals("andrew@example.com", byEmail.get("email"));

        Map<String, Object> byUserId = IterableTrackEvent.item(message("u123", null));
        assertFalse(byUserId.containsKey("email"));

        assertTrue(SegmentMessage.hasIdentifier(message(null, "andrew@example.com")));
        assertTrue(SegmentMessage.hasIdentifier(message("u123", null)));
        assertFalse(SegmentMessage.hasIdentifier(message(null, null)));
        assertFalse(SegmentMessage.hasIdentifier(message(" ", null)));
    }

    @Test
    void recognisesTheIsoTimestampShapes() {
        assertEquals("2026-11-24 08:00:00 +00:00", IterableDates.convert("2026-11-24T08:00:00Z"));
        assertEquals("2026-11-24 08:00:00 +00:00", IterableDates.convert("2026-11-24T08:00Z"));
        assertEquals("2026-11-24 06:00:00 +00:00", IterableDates.convert("2026-11-24T08:00:00+0200"));
        assertEquals("2026-11-24 13:30:00 +00:00", IterableDates.convert("2026-11-24T08:00:00-05:30"));
        // Without an offset, a warehouse timestamp is read as UTC.
        assertEquals("2026-11-24 08:00:00 +00:00", IterableDates.convert("2026-11-24T08:00:00.123456"));
        assertEquals("2026-11-24", IterableDates.convert("2026-11-24"));
        assertEquals("$140", IterableDates.convert("$140"));
        assertEquals("2026-13-45T99:00:00Z", IterableDates.convert("2026-13-45T99:00:00Z"));
        assertEquals(42, IterableDates.convert(42));
    }

    @Test
    void baseUrlFollowsTheDataCenterUnlessOverridden() {
        assertEquals("https://api.iterable.com", IterableDestination.baseUrl(Map.of("apiKey", "k")));
        assertEquals("https://api.eu.iterable.com", IterableDestination.baseUrl(Map.of("dataCenter", "eu")));
        assertEquals("http://127.0.0.1:9999", IterableDestination.baseUrl(Map.of("dataCenter", "eu", "baseUrl", "http://127.0.0.1:9999/")));
    }
}
