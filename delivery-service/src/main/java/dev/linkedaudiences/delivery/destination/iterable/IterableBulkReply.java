package dev.linkedaudiences.delivery.destination.iterable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkedaudiences.delivery.destination.SegmentMessage;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The per-item failures of an accepted Iterable bulk request (events.md): the reply lists the refused items by
 * identifier, not by position, in {@code failedUpdates.<list>} (bulkUpdate: {@code invalidEmails},
 * {@code invalidUserIds}, {@code notFoundEmails}, {@code conflictUserIds}, {@code forgottenEmails}, ...) and, for
 * trackBulk, at the top level ({@code invalidEmails}, {@code invalidUserIds}, {@code disallowedEventNames}). A list
 * whose name ends in {@code Emails} names emails, {@code UserIds} user ids, {@code EventNames} event names. Every
 * item matching an entry fails with {@code iterable <list>: <value>}; the others succeeded.
 */
final class IterableBulkReply {

    private IterableBulkReply() {
    }

    static Map<Integer, String> refusedItems(JsonNode reply, List<Map<String, Object>> messages) {
        Map<Integer, String> refused = new HashMap<>();
        check(reply, messages, refused);
        check(reply.path("failedUpdates"), messages, refused);
        return refused;
    }

    private static void check(JsonNode lists, List<Map<String, Object>> messages, Map<Integer, String> refused) {
        lists.fields().forEachRemaining(list -> {
            String name = list.getKey();
            Function<Map<String, Object>, Optional<String>> key =
                    name.endsWith("Emails") ? SegmentMessage::email
                            : name.endsWith("UserIds") ? SegmentMessage::userId
                            : name.endsWith("EventNames") ? m -> Optional.ofNullable(m.get("event")).map(Object::toString)
                            : null;
            if (key == null || !list.getValue().isArray() || list.getValue().isEmpty()) {
                return;
            }
            Set<String> values = new HashSet<>();
            list.getValue().forEach(value -> values.add(value.asText()));
            for (int k = 0; k < messages.size(); k++) {
                int index = k;
                key.apply(messages.get(k)).filter(values::contains)
                        .ifPresent(value -> refused.putIfAbsent(index, "iterable " + name + ": " + value));
            }
        });
    }
}
