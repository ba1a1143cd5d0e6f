package dev.linkedaudiences.delivery.destination;

import java.util.Map;
import java.util.Optional;

/** What every destination reads the same way out of a Segment message: who it is about. */
public final class SegmentMessage {

    private SegmentMessage() {
    }

    /** Whether the message names the user: an email ({@code context.traits.email}) or a {@code userId}. */
    public static boolean hasIdentifier(Map<String, Object> message) {
        return email(message).isPresent() || userId(message).isPresent();
    }

    /** {@code context.traits.email}, when present and not blank. */
    public static Optional<String> email(Map<String, Object> message) {
        return nonBlank(message.get("context") instanceof Map<?, ?> context
                && context.get("traits") instanceof Map<?, ?> traits ? traits.get("email") : null);
    }

    /** {@code userId}, when present and not blank. */
    public static Optional<String> userId(Map<String, Object> message) {
        return nonBlank(message.get("userId"));
    }

    private static Optional<String> nonBlank(Object value) {
        return value == null || value.toString().isBlank() ? Optional.empty() : Optional.of(value.toString());
    }
}
