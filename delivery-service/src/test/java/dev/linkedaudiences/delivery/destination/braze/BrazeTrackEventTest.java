package dev.linkedaudiences.delivery.destination.braze;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BrazeTrackEventTest {

    private static Map<String, Object> message(String userId, String email) {
        Map<String, Object> message = new HashMap<>();
        message.put("type", "track");
        message.put("event", "abandoned_carts_linked_audience");
        message.put("messageId", "01JDQ5Y8G0R4V7K2M9T3X6B1ZC");
        message.put("timestamp", "2026-11-24T08:00:00.123+01:00");
        if (userId != null) {
            message.put("userId", userId);
        }
        message.put("context", email == null ? Map.of("traits", Map.of()) : Map.of("traits", Map.of("email", email)));
        message.put("properties", Map.of("first_name", "Andrew", "last_seen", "2026-11-23T17:45:12+01:00"));
        return message;
    }


    @Test
    void mapsTheSegmentMessageToOneEvent() {
        Map<String, Object> event = BrazeTrackEvent.item(message("u123", "andrew@example.com"), "app-1");

        assertEquals(List.of("external_id", "email", "name", "time", "properties", "app_id"), List.copyOf(event.keySet()));
        assertEquals("u123", event.get("external_id"));
        assertEquals("andrew@example.com", event.get("email"));
        assertEquals("abandoned_carts_linked_audience", event.get("name"));
        // ISO-8601 as it came: no conversion.
        assertEquals("2026-11-24T08:00:00.123+01:00", event.get("time"));
        assertEquals(Map.of("first_name", "Andrew", "last_seen", "2026-11-23T17:45:12+01:00"), event.get("properties"));
        assertEquals("app-1", event.get("app_id"));
    }

    @Test
    void onlyThePresentIdentifiersAndAppIdAreSent() {
        Map<String, Object> byEmail = BrazeTrackEvent.item(message(null, "andrew@example.com"), null);
        assertEquals(List.of("email", "name", "time", "properties"), List.copyOf(byEmail.keySet()));

        Map<String, Object> byUserId = BrazeTrackEvent.item(message("u123", null), " ");
        assertEquals(List.of("external_id", "name", "time", "properties"), List.copyOf(byUserId.keySet()));
    }

    @Test
    void theTrackUrlIsUnderTheEndpoint() {
        BrazeDestination braze = new BrazeDestination();
        assertEquals("https://rest.iad-01.braze.com/users/track", braze.route("trackEvent", false,
                Map.of("apiKey", "k", "endpoint", "https://rest.iad-01.braze.com/")).url());
        assertEquals("http://127.0.0.1:9999/users/track", braze.route("updateUserProfile", false,
                Map.of("apiKey", "k", "endpoint", "http://127.0.0.1:9999")).url());
    }
}
