package dev.linkedaudiences.delivery.destination.braze;

import dev.linkedaudiences.delivery.destination.SegmentMessage;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One element of {@code attributes[]} of Braze's {@code POST /users/track} ({@code updateUserProfile}, events.md):
 * {@code external_id} (= userId) and/or {@code email}, then every trait of the identify message (or property of a
 * track message) as a custom attribute of the same name. A trait cannot replace the identifiers.
 */
public final class BrazeUserAttributes {

    private BrazeUserAttributes() {
    }

    public static Map<String, Object> item(Map<String, Object> message) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        SegmentMessage.fields(message).forEach((name, value) -> attributes.put(String.valueOf(name), value));
        attributes.remove("external_id");
        SegmentMessage.userId(message).ifPresent(userId -> attributes.put("external_id", userId));
        SegmentMessage.email(message).ifPresent(email -> attributes.put("email", email));
        return attributes;
    }
}
