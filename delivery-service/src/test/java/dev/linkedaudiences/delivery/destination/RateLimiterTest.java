package dev.linkedaudiences.delivery.destination;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The token bucket, on a clock the test moves. */
class RateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void spacesRequestsAtTheConfiguredRateAfterASmallBurst() {
        RateLimiter limiter = new RateLimiter(100, 0); // burst of 20, then one per 10 ms
        for (int i = 0; i < 20; i++) {
            assertEquals(Duration.ZERO, limiter.acquire(0, SECOND, 0).delay());
        }
        assertEquals(Duration.ofMillis(10), limiter.acquire(0, SECOND, 0).delay());
        assertEquals(Duration.ofMillis(20), limiter.acquire(0, SECOND, 0).delay());
        // Over a long run: requests granted within 10 s = 10 s * 100/s + the burst (less the first slot it used).
        RateLimiter steady = new RateLimiter(100, 0);
        int granted = 0;
        for (long now = 0; now < 10 * SECOND; now += SECOND / 1000) {
            while (steady.acquire(now, 0, 0).granted()) {
                granted++;
            }
        }
        assertEquals(1019, granted, 2);
    }

    @Test
    void aLongWaitIsNotReservedButEstimated() {
        RateLimiter limiter = new RateLimiter(1, 0); // a burst of two, then one per second
        assertTrue(limiter.acquire(0, 0, 0).granted());
        assertTrue(limiter.acquire(0, 0, 0).granted());
        RateLimiter.Permit refused = limiter.acquire(0, SECOND / 2, 0);
        assertFalse(refused.granted());
        assertEquals(Duration.ofSeconds(1), refused.delay());
        assertEquals(Duration.ofSeconds(3), limiter.acquire(0, SECOND / 2, 2).delay());
        assertTrue(limiter.acquire(SECOND, 0, 0).granted());
    }

    @Test
    void a429PausesTheEndpointAndSlowsItDownUntilItRecovers() {
        RateLimiter limiter = new RateLimiter(10, 0);
        limiter.throttled(Duration.ofSeconds(5), 0);
        assertEquals(5.0, limiter.currentRate());
        assertFalse(limiter.acquire(SECOND, SECOND, 0).granted());
        assertEquals(Duration.ofSeconds(4), limiter.acquire(SECOND, SECOND, 0).delay());
        assertTrue(limiter.acquire(5 * SECOND, 0, 0).granted());
        limiter.acquire(10 * SECOND, 0, 0);
        assertEquals(6.25, limiter.currentRate());
        limiter.acquire(100 * SECOND, 0, 0);
        limiter.acquire(200 * SECOND, 0, 0);
        limiter.acquire(300 * SECOND, 0, 0);
        assertEquals(10.0, limiter.currentRate());
    }
}
