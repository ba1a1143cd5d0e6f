package dev.linkedaudiences.delivery.destination.iterable;

import dev.linkedaudiences.delivery.destination.SegmentMessage;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Iterable reads a date only in {@code YYYY-MM-DD HH:mm:ss +00:00} (events.md): every ISO-8601 timestamp string in
 * {@code dataFields}, at any depth, is rewritten so, in UTC. Date-only values and other strings stay as they are.
 */
final class IterableDates {
    private static final DateTimeFormatter ITERABLE_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss '+00:00'");

    private IterableDates() {
    }

    /** {@code value} with every timestamp string in it in Iterable's date format. */
    static Object convert(Object value) {
        if (value instanceof String text) {
            return SegmentMessage.parseTimestamp(text)
                    .map(at -> (Object) ITERABLE_DATE.format(at.withOffsetSameInstant(ZoneOffset.UTC)))
                    .orElse(text);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> converted = new LinkedHashMap<>();
            map.forEach((key, item) -> converted.put(key, convert(item)));
            return converted;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(IterableDates::convert).toList();
        }
        return value;
    }
}
