package dev.linkedaudiences.delivery.event;

import java.util.Arrays;

/**
 * Where an event is in its delivery: every event ends in exactly one of these (events.md, "Nothing is lost").
 * {@code pending} is the only state an event leaves; the others are final.
 */
public enum DeliveryStatus {
    FILTERED_AT_SOURCE("filtered_at_source", "filtered_at_source"),
    FILTERED_AT_DESTINATION("filtered_at_destination", "filtered_at_destination"),
    PENDING("pending", "pending_retry"),
    FAILED("failed", "failed"),
    SUCCESSFUL("successful", "successful");

    /** The value of {@code delivery_event.status} and of the {@code step} of a DeliveryOutcome. */
    public final String value;
    /** The {@code step} label of the {@code la_delivery_events} gauge. */
    public final String metricStep;

    DeliveryStatus(String value, String metricStep) {
        this.value = value;
        this.metricStep = metricStep;
    }

    public static DeliveryStatus of(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown delivery status " + value));
    }
}
