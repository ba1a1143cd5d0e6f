package dev.linkedaudiences.delivery.dispatch;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a pass's batch is shared between activations, and how a rate-limited activation is claimed. */
class ClaimSharesTest {
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final Instant DUE = NOW.minusSeconds(60);

    @Test
    void theBatchIsSharedEvenlyBetweenTheActivationsWithDueEvents() {
        ClaimShares shares = new ClaimShares(2000);
        assertEquals(Map.of("a", 2000), shares.shares(Map.of("a", DUE), NOW));
        Map<String, Integer> three = shares.shares(Map.of("a", DUE, "b", DUE, "c", DUE), NOW);
        assertEquals(2000, three.values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(three.values().stream().allMatch(share -> share == 666 || share == 667), three.toString());
        // Not due yet: left out, and its share goes to the others.
        assertEquals(Map.of("a", 1000, "b", 1000), shares.shares(Map.of("a", DUE, "b", DUE, "later", NOW.plusSeconds(1)), NOW));
    }

    @Test
    void aRateLimitedActivationWaitsForItsTurnThenTakesTwiceWhatWentThrough() {
        ClaimShares shares = new ClaimShares(2000);
        shares.putOff("limited", NOW, NOW.plusMillis(300), 20);
        assertEquals(Map.of("other", 2000), shares.shares(Map.of("limited", DUE, "other", DUE), NOW));

        Instant turn = NOW.plusMillis(300);
        // What the limited one does not take goes to the other.
        assertEquals(Map.of("limited", 40, "other", 1960), shares.shares(Map.of("limited", DUE, "other", DUE), turn));
        shares.keptUp("limited");
        assertEquals(Map.of("limited", 80), shares.shares(Map.of("limited", DUE), turn));
        shares.putOff("limited", turn, turn, 0);
        assertEquals(Map.of("limited", 1), shares.shares(Map.of("limited", DUE), turn));
        for (int pass = 0; pass < 11; pass++) {
            shares.keptUp("limited");
        }
        assertEquals(Map.of("limited", 2000), shares.shares(Map.of("limited", DUE), turn), "back to a whole batch");
    }

    @Test
    void passesPutOffInTheSameTurnAddUpWhatTheyGotThrough() {
        ClaimShares shares = new ClaimShares(2000);
        Instant turn = NOW.plusMillis(200);
        shares.putOff("limited", NOW, turn, 0);
        shares.putOff("limited", NOW, turn.plusMillis(10), 20);
        assertEquals(Map.of(), shares.shares(Map.of("limited", DUE), turn), "until the later turn");
        assertEquals(Map.of("limited", 41), shares.shares(Map.of("limited", DUE), turn.plusMillis(10)));
        // A put-off in a later turn starts over.
        shares.putOff("limited", turn.plusMillis(10), turn.plusMillis(300), 5);
        assertEquals(Map.of("limited", 10), shares.shares(Map.of("limited", DUE), turn.plusMillis(300)));
    }

    @Test
    void anActivationWithoutPendingEventsIsForgotten() {
        ClaimShares shares = new ClaimShares(2000);
        shares.putOff("limited", NOW, NOW.plusSeconds(60), 5);
        shares.shares(Map.of(), NOW);
        assertEquals(Map.of("limited", 2000), shares.shares(Map.of("limited", DUE), NOW));
    }
}
