package dev.linkedaudiences.delivery.destination;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * What came of one attempt to send an event: the destination's answer, a network error (no answer), or a
 * message that was never sent because the destination could not take it (e.g. no identifier).
 *
 * @param status     the HTTP status of the answer; 0 when there was none
 * @param reason     what went wrong, in words fit for the dead-letter store; null on success
 * @param retryAfter how long the destination asked us to wait ({@code Retry-After}); null when it did not say
 */
public record DeliveryResult(Kind kind, int status, String reason, Duration retryAfter) {

    public enum Kind { ANSWERED, NETWORK_ERROR, NOT_SENDABLE }

    public static DeliveryResult answered(int status, String reason, Duration retryAfter) {
        return new DeliveryResult(Kind.ANSWERED, status, reason, retryAfter);
    }

    public static DeliveryResult networkError(Throwable error) {
        String what = error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName();
        return new DeliveryResult(Kind.NETWORK_ERROR, 0, "network error: " + what, null);
    }

    public static DeliveryResult notSendable(String reason) {
        return new DeliveryResult(Kind.NOT_SENDABLE, 0, reason, null);
    }

    public boolean succeeded() {
        return kind == Kind.ANSWERED && status >= 200 && status < 300;
    }

    /** Whether a request went out (and counts as an attempt). */
    public boolean attempted() {
        return kind != Kind.NOT_SENDABLE;
    }

    /**
     * Reads a {@code Retry-After} header: delay seconds or an HTTP date. Null when absent or unreadable, and
     * never negative.
     */
    public static Duration parseRetryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
