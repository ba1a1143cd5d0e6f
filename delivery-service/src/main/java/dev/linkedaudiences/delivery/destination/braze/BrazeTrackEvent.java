package dev.linkedaudiences.delivery.destination.braze;

import dev.linkedaudiences.delivery.destination.SegmentMessage;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One element of {@code events[]} of Braze's {@code POST /users/track} for a Segment track message (events.md):
 * {@code external_id} (= userId) and/or {@code email} (= context.traits.email), {@code name} (= event),
 * {@code time} (= timestamp, ISO-8601 as it is), {@code properties}, and {@code app_id} when the destination has an
 * {@code appId}.
 */
public final class BrazeTrackEvent {

    private BrazeTrackEvent() {
    }

    public static Map<String, Object> item(Map<String, Object> message, String appId) {
        Map<String, Object> event = new LinkedHashMap<>();
        SegmentMessage.userId(message).ifPresent(userId -> event.put("external_id", userId));
        SegmentMessage.email(message).ifPresent(email -> event.put("email", email));
        event.put("name", message.get("event"));
        event.put("time", message.get("timestamp"));
        event.put("properties", SegmentMessage.fields(message));
        if (appId != null && !appId.isBlank()) {
            event.put("app_id", appId);
        }
        return event;
    }
}
