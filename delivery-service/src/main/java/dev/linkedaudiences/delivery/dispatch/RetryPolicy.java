package dev.linkedaudiences.delivery.dispatch;

import dev.linkedaudiences.delivery.destination.DeliveryResult;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * What to do after an attempt (events.md, "Retries"):
 * <ul>
 *   <li>a 2xx answer: the event is delivered;</li>
 *   <li>a network error or timeout, 408, 423, 429 or a 5xx other than 501: retry later;</li>
 *   <li>anything else (other 4xx, 501, a message the destination cannot take): fail at once.</li>
 * </ul>
 * A retry waits what the destination asked for in {@code Retry-After}, else a randomized exponential backoff with
 * full jitter: a uniform random delay below {@code min(cap, base * 2^(attempts - 1))}, which spreads the retries
 * of many events failing together. An event whose next attempt would fall outside the retry window (counted
 * from its arrival) fails instead.
 */
public final class RetryPolicy {
    /** 2^30 times the base is beyond any sensible cap; stops the doubling from overflowing. */
    private static final int MAX_DOUBLINGS = 30;

    private final Duration base;
    private final Duration cap;
    private final RandomGenerator random;

    public RetryPolicy(Duration base, Duration cap, RandomGenerator random) {
        this.base = base;
        this.cap = cap;
        this.random = random;
    }

    public enum Outcome { DELIVERED, RETRY, FAILED }

    /** The decision; {@code retryAt} is set for {@link Outcome#RETRY} only, {@code reason} unless delivered. */
    public record Decision(Outcome outcome, Instant retryAt, String reason) {
    }

    /**
     * @param attempts  the attempts made so far, this one included
     * @param createdAt when the event's retry window started (its arrival, or its replay)
     * @param window    how long the event may be retried
     */
    public Decision decide(DeliveryResult result, int attempts, Instant createdAt, Instant now, Duration window) {
        if (result.succeeded()) {
            return new Decision(Outcome.DELIVERED, null, null);
        }
        if (!isRetryable(result)) {
            return new Decision(Outcome.FAILED, null, result.reason());
        }
        Instant retryAt = now.plus(result.retryAfter() != null ? result.retryAfter() : backoff(attempts));
        if (retryAt.isAfter(createdAt.plus(window))) {
            return new Decision(Outcome.FAILED, null,
                    "retry window " + window + " exhausted after " + attempts + " attempt(s); last: " + result.reason());
        }
        return new Decision(Outcome.RETRY, retryAt, result.reason());
    }

    public static boolean isRetryable(DeliveryResult result) {
        return switch (result.kind()) {
            case NETWORK_ERROR, DEFERRED -> true;
            case NOT_SENDABLE, ITEM_REFUSED -> false;
            case ANSWERED -> {
                int status = result.status();
                yield status == 408 || status == 423 || status == 429 || (status >= 500 && status <= 599 && status != 501);
            }
        };
    }

    /** A random delay in [0, min(cap, base * 2^(attempts - 1))]. */
    Duration backoff(int attempts) {
        int doublings = Math.min(Math.max(attempts - 1, 0), MAX_DOUBLINGS);
        long bound = Math.min(cap.toMillis(), base.toMillis() << doublings);
        return Duration.ofMillis(random.nextLong(bound + 1));
    }
}
