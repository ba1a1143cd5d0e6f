package dev.linkedaudiences.delivery.destination.iterable;

import dev.linkedaudiences.delivery.destination.SegmentMessage;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One event of Iterable's {@code POST /api/events/track} (the whole body) or {@code /api/events/trackBulk} (an
 * element of {@code events}) for a Segment track message (events.md): {@code email} and/or {@code userId},
 * {@code eventName}, {@code id} = messageId (Iterable dedupes on it), {@code createdAt} in Unix seconds, and the
 * properties as {@code dataFields}, timestamps in Iterable's date format ({@link IterableDates}).
 */
public final class IterableTrackEvent {

    private IterableTrackEvent() {
    }

    public static Map<String, Object> item(Map<String, Object> message) {
        Map<String, Object> event = new LinkedHashMap<>();
        SegmentMessage.email(message).ifPresent(email -> event.put("email", email));
        SegmentMessage.userId(message).ifPresent(userId -> event.put("userId", userId));
        event.put("eventName", message.get("event"));
        event.put("id", message.get("messageId"));
        SegmentMessage.timestamp(message).ifPresent(at -> event.put("createdAt", at.toEpochSecond()));
        event.put("dataFields", IterableDates.convert(SegmentMessage.fields(message)));
        return event;
    }
}
