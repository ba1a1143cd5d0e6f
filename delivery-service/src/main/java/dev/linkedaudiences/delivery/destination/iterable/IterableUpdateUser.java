package dev.linkedaudiences.delivery.destination.iterable;

import dev.linkedaudiences.delivery.destination.SegmentMessage;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One user of Iterable's {@code POST /api/users/update} (the whole body) or {@code /api/users/bulkUpdate} (an
 * element of {@code users}) (events.md, "Upsert User"): {@code email} and/or {@code userId}, the traits of an
 * identify message (or the properties of a track message) as {@code dataFields} with timestamps in Iterable's date
 * format, {@code preferUserId} (a userId-only user is created rather than refused) and {@code mergeNestedObjects}
 * (nested trait objects are merged into what Iterable has, not replaced).
 */
public final class IterableUpdateUser {

    private IterableUpdateUser() {
    }

    public static Map<String, Object> item(Map<String, Object> message) {
        Map<String, Object> user = new LinkedHashMap<>();
        SegmentMessage.email(message).ifPresent(email -> user.put("email", email));
        SegmentMessage.userId(message).ifPresent(userId -> user.put("userId", userId));
        user.put("dataFields", IterableDates.convert(SegmentMessage.fields(message)));
        user.put("preferUserId", true);
        user.put("mergeNestedObjects", true);
        return user;
    }
}
