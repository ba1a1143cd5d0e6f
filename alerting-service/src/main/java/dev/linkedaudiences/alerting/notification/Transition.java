package dev.linkedaudiences.alerting.notification;

import dev.linkedaudiences.alerting.alert.AlertRule;

import java.util.Locale;

/**
 * What one evaluation does to a rule. Only a change of state is announced, which makes one notification per breach
 * (not per evaluation) and one per recovery.
 */
public enum Transition {
    /** The rule stays as it was: nothing to announce. */
    NONE,
    /** The rule was ok and is now breached. */
    BREACH,
    /** The rule was breached and is now back within its threshold. */
    RECOVERY;

    public static Transition of(String currentState, boolean breachedNow) {
        boolean breachedBefore = AlertRule.STATE_BREACHED.equals(currentState);
        if (breachedNow == breachedBefore) {
            return NONE;
        }
        return breachedNow ? BREACH : RECOVERY;
    }

    /** The rule state after this transition, given the state before. */
    public String nextState(String currentState) {
        return switch (this) {
            case NONE -> currentState;
            case BREACH -> AlertRule.STATE_BREACHED;
            case RECOVERY -> AlertRule.STATE_OK;
        };
    }

    /** The notification kind as stored and shown: {@code breach} or {@code recovery}. */
    public String kind() {
        return name().toLowerCase(Locale.ROOT);
    }
}
