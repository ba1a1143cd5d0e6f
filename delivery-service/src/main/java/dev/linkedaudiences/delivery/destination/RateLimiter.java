package dev.linkedaudiences.delivery.destination;

import java.time.Duration;

/**
 * The request rate of one endpoint of one destination, in this instance: a token bucket kept as its theoretical
 * arrival time (GCRA). A burst of a tenth of a second's requests may go at once (at least one); after that,
 * requests are spaced {@code 1/rate} apart.
 * <p>
 * A 429 slows it down: the rate halves (down to a twentieth of the configured one), the whole endpoint pauses for
 * the {@code Retry-After} it was given, and every 10 seconds without a 429 the rate recovers by a quarter, up to
 * the configured rate.
 */
public final class RateLimiter {
    private static final long NANOS = 1_000_000_000L;
    private static final long RECOVERY_STEP = 10 * NANOS;

    private final double configured;
    private double rate;
    private long intervalNanos;
    private long toleranceNanos;
    /** When the next request would be due if requests were perfectly spaced. */
    private long theoreticalArrival;
    private long pausedUntil;
    private long lastSlowDown;

    public RateLimiter(double requestsPerSecond, long nowNanos) {
        this.configured = requestsPerSecond;
        this.theoreticalArrival = nowNanos;
        this.pausedUntil = nowNanos;
        setRate(requestsPerSecond);
    }

    /** A permit for one request after {@code wait}, or, when the wait is longer than allowed, the wait to expect. */
    public record Permit(boolean granted, Duration delay) {
    }

    /**
     * Reserves the next request slot when it comes within {@code maxWaitNanos}; otherwise reserves nothing and
     * answers how long the request should wait when its turn is {@code queued} slots behind the next free one.
     */
    public synchronized Permit acquire(long nowNanos, long maxWaitNanos, int queued) {
        recover(nowNanos);
        long arrival = Math.max(Math.max(theoreticalArrival, nowNanos), pausedUntil);
        long wait = Math.max(0, Math.max(arrival - toleranceNanos - nowNanos, pausedUntil - nowNanos));
        if (wait > maxWaitNanos) {
            return new Permit(false, Duration.ofNanos(wait + (long) queued * intervalNanos));
        }
        theoreticalArrival = arrival + intervalNanos;
        return new Permit(true, Duration.ofNanos(wait));
    }

    /** The destination answered 429: slow down, and pause the endpoint for {@code retryAfter} when given. */
    public synchronized void throttled(Duration retryAfter, long nowNanos) {
        setRate(Math.max(configured / 20, rate / 2));
        lastSlowDown = nowNanos;
        if (retryAfter != null) {
            pausedUntil = Math.max(pausedUntil, nowNanos + retryAfter.toNanos());
        }
    }

    public synchronized double currentRate() {
        return rate;
    }

    public double configuredRate() {
        return configured;
    }

    private void recover(long nowNanos) {
        if (rate < configured && nowNanos - lastSlowDown >= RECOVERY_STEP) {
            setRate(Math.min(configured, rate * 1.25));
            lastSlowDown = nowNanos;
        }
    }

    private void setRate(double requestsPerSecond) {
        rate = requestsPerSecond;
        intervalNanos = Math.max(1, (long) (NANOS / requestsPerSecond));
        long burst = Math.max(2, (long) (requestsPerSecond / 5));
        toleranceNanos = (burst - 1) * intervalNanos;
    }
}
