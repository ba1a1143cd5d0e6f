package dev.linkedaudiences.delivery.dispatch;

import dev.linkedaudiences.delivery.destination.DeliveryResult;
import dev.linkedaudiences.delivery.dispatch.RetryPolicy.Decision;
import dev.linkedaudiences.delivery.dispatch.RetryPolicy.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {
    private static final Instant CREATED = Instant.parse("2026-11-24T08:00:00Z");
    private static final Duration BASE = Duration.ofSeconds(1);
    private static final Duration CAP = Duration.ofMinutes(5);
    private static final Duration WINDOW = Duration.ofHours(4);

    /** A random source that always picks the largest delay allowed, so backoff bounds become visible. */
    private static final RandomGenerator ALWAYS_MAX = new RandomGenerator() {
        @Override
        public long nextLong() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    private final RetryPolicy policy = new RetryPolicy(BASE, CAP, ALWAYS_MAX);

    private static DeliveryResult answer(int status) {
        return DeliveryResult.answered(status, status < 300 ? null : "HTTP " + status + ": nope", null, null);
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 204})
    void a2xxIsDelivered(int status) {
        Decision decision = policy.decide(answer(status), 1, CREATED, CREATED, WINDOW);
        assertEquals(Outcome.DELIVERED, decision.outcome());
        assertNull(decision.reason());
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 423, 429, 500, 502, 503, 504, 599})
    void retryableAnswersAreRetried(int status) {
        Decision decision = policy.decide(answer(status), 1, CREATED, CREATED, WINDOW);
        assertEquals(Outcome.RETRY, decision.outcome());
        assertEquals("HTTP " + status + ": nope", decision.reason());
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 413, 422, 501})
    void otherAnswersFailAtOnceWithTheDestinationsReason(int status) {
        Decision decision = policy.decide(answer(status), 1, CREATED, CREATED, WINDOW);
        assertEquals(Outcome.FAILED, decision.outcome());
        assertEquals("HTTP " + status + ": nope", decision.reason());
        assertNull(decision.retryAt());
    }

    @Test
    void networkErrorsAreRetriedAndUnsendableMessagesFail() {
        assertEquals(Outcome.RETRY, policy.decide(DeliveryResult.networkError(new IOException("connection reset")),
                1, CREATED, CREATED, WINDOW).outcome());
        Decision missing = policy.decide(DeliveryResult.notSendable("missing_identifier"), 0, CREATED, CREATED, WINDOW);
        assertEquals(Outcome.FAILED, missing.outcome());
        assertEquals("missing_identifier", missing.reason());
    }

    @Test
    void theBackoffBoundDoublesUpToTheCap() {
        Instant now = CREATED.plusSeconds(10);
        assertEquals(now.plusSeconds(1), policy.decide(answer(500), 1, CREATED, now, WINDOW).retryAt());
        assertEquals(now.plusSeconds(2), policy.decide(answer(500), 2, CREATED, now, WINDOW).retryAt());
        assertEquals(now.plusSeconds(4), policy.decide(answer(500), 3, CREATED, now, WINDOW).retryAt());
        assertEquals(now.plusSeconds(256), policy.decide(answer(500), 9, CREATED, now, WINDOW).retryAt());
        assertEquals(now.plus(CAP), policy.decide(answer(500), 10, CREATED, now, WINDOW).retryAt());
        assertEquals(now.plus(CAP), policy.decide(answer(500), 1000, CREATED, now, WINDOW).retryAt());
    }

    @Test
    void theDelayIsRandomBelowTheBound() {
        RetryPolicy jittered = new RetryPolicy(BASE, CAP, RandomGenerator.of("L64X128MixRandom"));
        for (int attempt = 1; attempt < 20; attempt++) {
            Duration delay = jittered.backoff(attempt);
            long bound = Math.min(CAP.toMillis(), BASE.toMillis() << (attempt - 1));
            assertTrue(!delay.isNegative() && delay.toMillis() <= bound, attempt + ": " + delay);
        }
    }

    @Test
    void retryAfterIsHonoured() {
        DeliveryResult tooMany = DeliveryResult.answered(429, "HTTP 429: slow down", Duration.ofSeconds(30), null);
        Decision decision = policy.decide(tooMany, 1, CREATED, CREATED, WINDOW);
        assertEquals(Outcome.RETRY, decision.outcome());
        assertEquals(CREATED.plusSeconds(30), decision.retryAt());
    }

    @Test
    void givesUpWhenTheNextAttemptWouldLeaveTheRetryWindow() {
        Instant late = CREATED.plus(WINDOW).minusSeconds(100);
        assertEquals(Outcome.RETRY, policy.decide(answer(503), 5, CREATED, late, WINDOW).outcome()); // waits 16 s
        Decision gaveUp = policy.decide(answer(503), 12, CREATED, late, WINDOW); // would wait 5 min
        assertEquals(Outcome.FAILED, gaveUp.outcome());
        assertEquals("retry window PT4H exhausted after 12 attempt(s); last: HTTP 503: nope", gaveUp.reason());
        assertEquals(Outcome.FAILED, policy.decide(
                DeliveryResult.answered(429, "HTTP 429", Duration.ofHours(5), null), 1, CREATED, CREATED, WINDOW).outcome());
    }

    @Test
    void readsRetryAfterAsSecondsOrAnHttpDate() {
        Instant now = Instant.parse("2015-10-21T07:28:00Z");
        assertEquals(Duration.ofSeconds(120), DeliveryResult.parseRetryAfter("120", now));
        assertEquals(Duration.ofSeconds(60), DeliveryResult.parseRetryAfter("Wed, 21 Oct 2015 07:29:00 GMT", now));
        assertEquals(Duration.ZERO, DeliveryResult.parseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now));
        assertNull(DeliveryResult.parseRetryAfter(null, now));
        assertNull(DeliveryResult.parseRetryAfter("soon", now));
    }
}
