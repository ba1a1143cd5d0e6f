package dev.linkedaudiences.delivery.destination;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A destination's limit, split between the live instances. */
class RateLimitsTest {
    private static final Endpoint SEND = new Endpoint("send", 1, 1_000_000, 100);
    private static final long SECOND = 1_000_000_000L;

    @Test
    void eachInstanceSendsItsShareOfTheConfiguredRate() {
        RateLimits alone = new RateLimits();
        assertEquals(100.0, alone.forEndpoint("d", SEND, Map.of()).configuredRate());
        assertEquals(40.0, alone.forEndpoint("d", SEND, Map.of("rateLimit.send", "40")).configuredRate());

        // Two instances, each with its own limiters, sending flat out for 60 s: together, the configured rate.
        RateLimits first = new RateLimits();
        RateLimits second = new RateLimits();
        first.shareBetween(2);
        second.shareBetween(2);
        RateLimiter one = first.forEndpoint("d", SEND, Map.of());
        RateLimiter other = second.forEndpoint("d", SEND, Map.of());
        int granted = 0;
        long start = System.nanoTime(); // the limiters start on the real clock
        for (long now = start; now < start + 60 * SECOND; now += SECOND / 1000) {
            while (one.acquire(now, 0, 0).granted()) {
                granted++;
            }
            while (other.acquire(now, 0, 0).granted()) {
                granted++;
            }
        }
        assertEquals(6000, granted, 6000 * 0.01, "within 1 % of 100 requests/s");

        first.shareBetween(1);
        assertEquals(100.0, first.forEndpoint("d", SEND, Map.of()).configuredRate(), "the other is gone: the whole rate");
    }
}
