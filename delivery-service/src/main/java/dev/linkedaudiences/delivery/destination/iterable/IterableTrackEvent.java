package dev.linkedaudiences.delivery.destination.iterable;

import dev.linkedaudiences.delivery.destination.SegmentMessage;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The body of Iterable's {@code POST /api/events/track} for a Segment track message (events.md): {@code email}
 * and/or {@code userId}, {@code eventName}, {@code id} = messageId (Iterable dedupes on it), {@code createdAt} in
 * Unix seconds, and the properties as {@code dataFields}, where every ISO-8601 timestamp becomes
 * {@code YYYY-MM-DD HH:mm:ss +00:00} in UTC, the only date-time format Iterable reads as a date. Date-only values
 * stay as they are.
 */
public final class IterableTrackEvent {
    /** A date, a 'T', a time and an optional offset: the only strings worth trying to parse. */
    private static final Pattern LOOKS_LIKE_TIMESTAMP =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|z|[+-]\\d{2}(:?\\d{2})?)?");
    private static final DateTimeFormatter ISO_WITH_ANY_OFFSET = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter();
    private static final DateTimeFormatter ITERABLE_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss '+00:00'");

    private IterableTrackEvent() {
    }

    public static Map<String, Object> body(Map<String, Object> message) {
        Map<String, Object> body = new LinkedHashMap<>();
        SegmentMessage.email(message).ifPresent(email -> body.put("email", email));
        SegmentMessage.userId(message).ifPresent(userId -> body.put("userId", userId));
        body.put("eventName", message.get("event"));
        body.put("id", message.get("messageId"));
        Object timestamp = message.get("timestamp");
        if (timestamp instanceof String text) {
            parseTimestamp(text).ifPresent(at -> body.put("createdAt", at.toEpochSecond()));
        }
        Object properties = message.get("properties");
        body.put("dataFields", properties instanceof Map<?, ?> ? withIterableDates(properties) : Map.of());
        return body;
    }

    /** {@code value} with every timestamp string in it, at any depth, in Iterable's date format. */
    static Object withIterableDates(Object value) {
        if (value instanceof String text) {
            return parseTimestamp(text).map(at -> (Object) ITERABLE_DATE.format(at.withOffsetSameInstant(ZoneOffset.UTC)))
                    .orElse(text);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> converted = new LinkedHashMap<>();
            map.forEach((key, item) -> converted.put(key, withIterableDates(item)));
            return converted;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(IterableTrackEvent::withIterableDates).toList();
        }
        return value;
    }

    /** An ISO-8601 date-time; one without an offset is read as UTC, as warehouses mostly store them. */
    static Optional<OffsetDateTime> parseTimestamp(String text) {
        if (!LOOKS_LIKE_TIMESTAMP.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            TemporalAccessor parsed = ISO_WITH_ANY_OFFSET.parseBest(text.toUpperCase(), OffsetDateTime::from, LocalDateTime::from);
            return Optional.of(parsed instanceof OffsetDateTime at ? at : ((LocalDateTime) parsed).atOffset(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
