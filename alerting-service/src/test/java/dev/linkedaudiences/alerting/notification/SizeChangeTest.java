package dev.linkedaudiences.alerting.notification;

import dev.linkedaudiences.alerting.alert.AlertRule;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SizeChangeTest {

    @Test
    void percentIsTheAbsoluteChangeOverTheEarlierSize() {
        assertEquals(50.0, new SizeChange(100, 150).percent());
        assertEquals(50.0, new SizeChange(100, 50).percent());
        assertEquals(0.0, new SizeChange(100, 100).percent());
        assertEquals(12.5, new SizeChange(80, 90).percent());
    }

    @Test
    void breachIsStrictlyAboveTheThreshold() {
        assertTrue(new SizeChange(100, 111).breaches(10));
        assertTrue(new SizeChange(100, 89).breaches(10), "drops count as much as growth");
        assertFalse(new SizeChange(100, 110).breaches(10), "exactly the threshold is not a breach");
        assertFalse(new SizeChange(100, 105).breaches(10));
        // product.md's example: 4% and 100 alert below 96 or above 104
        assertTrue(new SizeChange(100, 95).breaches(4));
        assertFalse(new SizeChange(100, 96).breaches(4));
        assertTrue(new SizeChange(100, 105).breaches(4));
    }

    @Test
    void fromAnEmptyAudienceAnyGrowthIsABreach() {
        assertTrue(new SizeChange(0, 1).breaches(1000));
        assertFalse(new SizeChange(0, 0).breaches(0.1));
        assertEquals(0.0, new SizeChange(0, 0).percent());
    }

    @Test
    void onlyAChangeOfStateIsAnnounced() {
        assertEquals(Transition.BREACH, Transition.of(AlertRule.STATE_OK, true));
        assertEquals(Transition.NONE, Transition.of(AlertRule.STATE_BREACHED, true));
        assertEquals(Transition.RECOVERY, Transition.of(AlertRule.STATE_BREACHED, false));
        assertEquals(Transition.NONE, Transition.of(AlertRule.STATE_OK, false));
        assertEquals(AlertRule.STATE_BREACHED, Transition.BREACH.nextState(AlertRule.STATE_OK));
        assertEquals(AlertRule.STATE_OK, Transition.RECOVERY.nextState(AlertRule.STATE_BREACHED));
        assertEquals(AlertRule.STATE_BREACHED, Transition.NONE.nextState(AlertRule.STATE_BREACHED));
    }

    @Test
    void messagesSayWhatChangedAndTheThreshold() {
        assertEquals("Audience vip size changed by 50% (100 -> 150) in 24 h, above the 10% threshold",
                NotificationText.of(Transition.BREACH, "vip", new SizeChange(100, 150), 10));
        assertEquals("Audience vip size is back within the 12.5% threshold: changed by 0% (100 -> 100) in 24 h",
                NotificationText.of(Transition.RECOVERY, "vip", new SizeChange(100, 100), 12.5));
        assertEquals("Audience vip size grew from empty (0 -> 7) in 24 h, above the 5% threshold",
                NotificationText.of(Transition.BREACH, "vip", new SizeChange(0, 7), 5));
        assertEquals("33.3%", NotificationText.percent(100.0 / 3));
    }
}
