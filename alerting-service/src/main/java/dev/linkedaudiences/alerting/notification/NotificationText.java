package dev.linkedaudiences.alerting.notification;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The words of audience-size notifications. (Handlebars templates per channel come with email and Slack.) */
final class NotificationText {

    static String of(Transition transition, String audienceKey, SizeChange change, double thresholdPercent) {
        String sizes = "(" + change.previous() + " -> " + change.current() + ")";
        String changed = change.previous() == 0 && change.current() > 0
                ? "grew from empty " + sizes
                : "changed by " + percent(change.percent()) + " " + sizes;
        return switch (transition) {
            case BREACH -> "Audience " + audienceKey + " size " + changed + " in 24 h, above the "
                    + percent(thresholdPercent) + " threshold";
            case RECOVERY -> "Audience " + audienceKey + " size is back within the " + percent(thresholdPercent)
                    + " threshold: " + changed + " in 24 h";
            case NONE -> throw new IllegalArgumentException("nothing to announce");
        };
    }

    /** At most one decimal, no trailing zeros: 50%, 12.5%. */
    static String percent(double value) {
        return BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString() + "%";
    }

    private NotificationText() {
    }
}
