package dev.linkedaudiences.alerting.notification;

/**
 * An audience size now against its size at the baseline (24 hours earlier), and the arithmetic of the
 * audience size change rule. A change from 0 has no percentage: any growth from an empty audience is a breach.
 */
public record SizeChange(long previous, long current) {

    /** |current - previous| / previous * 100; infinite for growth from 0, and 0 when both are 0. */
    public double percent() {
        if (previous == 0) {
            return current == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.abs(current - previous) * 100.0 / previous;
    }

    /** Strictly above the threshold: a 10% change does not breach a 10% rule. */
    public boolean breaches(double thresholdPercent) {
        return percent() > thresholdPercent;
    }
}
