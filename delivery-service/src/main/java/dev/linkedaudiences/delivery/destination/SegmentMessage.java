package dev.linkedaudiences.delivery.destination;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** What every destination reads the same way out of a Segment message: who it is about, what it says, when. */
public final class SegmentMessage {
    public static final String MISSING_IDENTIFIER = "missing_identifier";

    /** A date, a 'T', a time and an optional offset: the only strings worth trying to parse. */
    private static final Pattern LOOKS_LIKE_TIMESTAMP =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|z|[+-]\\d{2}(:?\\d{2})?)?");
    private static final DateTimeFormatter ISO_WITH_ANY_OFFSET = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter();

    private SegmentMessage() {
    }

    /** Whether the message names the user: an email ({@code context.traits.email}) or a {@code userId}. */
    public static boolean hasIdentifier(Map<String, Object> message) {
        return email(message).isPresent() || userId(message).isPresent();
    }

    /** {@code missing_identifier} for a message with neither email nor userId (never sent, never retried). */
    public static Optional<String> identifierRefusal(Map<String, Object> message) {
        return hasIdentifier(message) ? Optional.empty() : Optional.of(MISSING_IDENTIFIER);
    }

    /** {@code context.traits.email}, else (identify messages) {@code traits.email}, when present and not blank. */
    public static Optional<String> email(Map<String, Object> message) {
        Optional<String> inContext = nonBlank(message.get("context") instanceof Map<?, ?> context
                && context.get("traits") instanceof Map<?, ?> traits ? traits.get("email") : null);
        return inContext.isPresent() ? inContext
                : nonBlank(message.get("traits") instanceof Map<?, ?> traits ? traits.get("email") : null);
    }

    /** {@code userId}, when present and not blank. */
    public static Optional<String> userId(Map<String, Object> message) {
        return nonBlank(message.get("userId"));
    }

    /** Whether this is an identify message (the {@code membership_changed} trigger). */
    public static boolean isIdentify(Map<String, Object> message) {
        return "identify".equals(message.get("type"));
    }

    /** What the message says about the user: {@code traits} of an identify message, else {@code properties}. */
    public static Map<?, ?> fields(Map<String, Object> message) {
        Object fields = message.get(isIdentify(message) ? "traits" : "properties");
        return fields instanceof Map<?, ?> map ? map : Map.of();
    }

    /** The message's {@code timestamp}, when it is an ISO-8601 date-time. */
    public static Optional<OffsetDateTime> timestamp(Map<String, Object> message) {
        return message.get("timestamp") instanceof String text ? parseTimestamp(text) : Optional.empty();
    }

    /** An ISO-8601 date-time; one without an offset is read as UTC, as warehouses mostly store them. */
    public static Optional<OffsetDateTime> parseTimestamp(String text) {
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

    private static Optional<String> nonBlank(Object value) {
        return value == null || value.toString().isBlank() ? Optional.empty() : Optional.of(value.toString());
    }
}
