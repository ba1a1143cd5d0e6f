package dev.linkedaudiences.delivery;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

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

    /**
     * How many due events one dispatcher pass claims, shared evenly between the activations with due events; they
     * are grouped by activation and sent in as few requests as the destinations' batch endpoints allow.
     */
    @WithDefault("2000")
    int batchSize();

    /** How many dispatcher passes run at once in this instance (they never claim the same event). */
    @WithDefault("2")
    int dispatchConcurrency();

    /**
     * The longest a send waits for its endpoint's rate limit inside a pass; an event that would wait longer is put
     * off (still pending, not an attempt) until the limit lets it through.
     */
    @WithDefault("PT0.2S")
    Duration rateLimitMaxWait();

    /** How often this instance records its heartbeat and counts the live instances that share the rate limits. */
    @WithDefault("2s")
    String instanceHeartbeat();

    /** How long after its last heartbeat an instance is no longer counted (its share goes to the others). */
    @WithDefault("PT10S")
    Duration instanceTimeout();

    /** Connections kept per destination host. */
    @WithDefault("32")
    int httpMaxConnections();

    /** How long a destination may take to answer before the attempt counts as a (retryable) timeout. */
    @WithDefault("PT10S")
    Duration httpTimeout();

    /** How often the dispatcher looks for due events; the scheduler ticks once a second at most. */
    @WithDefault("1s")
    String dispatchInterval();

    /** How often final outcomes are published to delivery-outcomes (and failures to the DLQ topic). */
    @WithDefault("1s")
    String outcomeInterval();

    /**
     * The longest a publish of outcomes waits for the broker's metadata or for room in the producer's buffer (its
     * {@code max.block.ms}, on a worker thread); then the outcomes stay unpublished for the outcome relay.
     */
    @WithDefault("PT1S")
    Duration outcomeMaxBlock();

    /** How often the {@code la_delivery_events} gauges are recomputed from the database. */
    @WithDefault("15s")
    String metricsInterval();

    /** Which destination URLs may be called (events.md: https only, public addresses only unless allow-listed). */
    UrlPolicyConfig urlPolicy();

    interface UrlPolicyConfig {
        /** Whether plain http is allowed (test and demo configuration only). */
        @WithDefault("false")
        boolean allowHttp();

        /**
         * Hosts (names or literal addresses, as written in the URL) that may be called even though they are, or
         * resolve to, addresses that are not public, e.g. {@code 127.0.0.1} for a local fake. Still resolved once
         * per send and connected to by that address.
         */
        Optional<List<String>> allowedHosts();
    }
}
