package dev.linkedaudiences.delivery;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How delivery-service sends, retries and reports (keys {@code delivery.*}). */
@ConfigMapping(prefix = "delivery")
public interface DeliveryConfig {

    /** How long an event is retried, counted from its arrival, before it is failed for good. */
    @WithDefault("PT4H")
    Duration retryWindow();

    /** The bound of the first retry delay; it doubles with every attempt (the delay is random below it). */
    @WithDefault("PT1S")
    Duration backoffBase();

    /** The largest bound a retry delay can reach. */
    @WithDefault("PT5M")
    Duration backoffCap();

    /** How many due events one dispatcher pass claims and sends concurrently. */
    @WithDefault("50")
    int batchSize();

    /** How long a destination may take to answer before the attempt counts as a (retryable) timeout. */
    @WithDefault("PT10S")
    Duration httpTimeout();

    /** How often the dispatcher looks for due events; the scheduler ticks once a second at most. */
    @WithDefault("1s")
    String dispatchInterval();

    /** How often final outcomes are published to delivery-outcomes (and failures to the DLQ topic). */
    @WithDefault("1s")
    String outcomeInterval();

    /** How often the {@code la_delivery_events} gauges are recomputed from the database. */
    @WithDefault("5s")
    String metricsInterval();
}
