package dev.linkedaudiences.delivery.destination;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * What came of one attempt to send an event: the destination's answer, a network error (no answer), a message
 * that was never sent because the destination could not take it (e.g. no identifier), an item the destination
 * refused inside an otherwise accepted batch, or a send put off because the endpoint's rate limit (or a 429 it
 * answered) asks to wait.
 *
 * @param status     the HTTP status of the answer; 0 when there was none
 * @param reason     what went wrong, in words fit for the dead-letter store; null on success
 * @param retryAfter how long to wait before the next attempt ({@code Retry-After}, or the rate limit); null when
 *                   nobody said
 * @param reply      the destination's reply body as received (the test event shows it); null without one
 */
public record DeliveryResult(Kind kind, int status, String reason, Duration retryAfter, String reply) {

    public enum Kind { ANSWERED, NETWORK_ERROR, NOT_SENDABLE, ITEM_REFUSED, DEFERRED }

    public static DeliveryResult answered(int status, String reason, Duration retryAfter, String reply) {
        return new DeliveryResult(Kind.ANSWERED, status, reason, retryAfter, reply);
    }

    public static DeliveryResult networkError(Throwable error) {
        String what = error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName();
        return new DeliveryResult(Kind.NETWORK_ERROR, 0, "network error: " + what, null, null);
    }

    public static DeliveryResult notSendable(String reason) {
        return new DeliveryResult(Kind.NOT_SENDABLE, 0, reason, null, null);
    }

    /** One item of a batch the destination accepted as a whole but refused by itself (a per-item failure). */
    public static DeliveryResult itemRefused(DeliveryResult batch, String reason) {
        return new DeliveryResult(Kind.ITEM_REFUSED, batch.status, reason, null, batch.reply);
    }

    /** Not sent now, and not an attempt: the endpoint may be called again after {@code wait}. */
    public static DeliveryResult deferred(Duration wait, String reason) {
        return new DeliveryResult(Kind.DEFERRED, 0, reason, wait, null);
    }

    public boolean succeeded() {
        return kind == Kind.ANSWERED && status >= 200 && status < 300;
    }

    /** Whether a request went out (and counts as an attempt). */
    public boolean attempted() {
        return kind == Kind.ANSWERED || kind == Kind.NETWORK_ERROR || kind == Kind.ITEM_REFUSED;
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
