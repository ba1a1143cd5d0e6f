package dev.linkedaudiences.contracts;

/**
 * Kafka topic names (product.md). Each service's channel for a topic carries the same name,
 * so a reader finds the topic from the channel and back.
 */
public final class Topics {
    /** Compacted, keyed by audience id: every audience change, with the data graph it was validated against. */
    public static final String AUDIENCE_DEFINITIONS = "audience-definitions";
    /** Compacted, keyed by activation id: activations with their destination settings. */
    public static final String ACTIVATION_DEFINITIONS = "activation-definitions";
    /** Keyed by audience id: Run Now and enable-triggered runs. */
    public static final String RUN_REQUESTS = "run-requests";
    /** Keyed by audience id: the outcome of every finished run. */
    public static final String RUN_RESULTS = "run-results";
    /** Keyed by activation id + profile id, which keeps one profile's events in order. */
    public static final String ACTIVATION_EVENTS = "activation-events";
    /** Keyed by activation id: what happened to each event at its destination. */
    public static final String DELIVERY_OUTCOMES = "delivery-outcomes";
    /** Keyed by activation id + profile id: events that failed for good. */
    public static final String ACTIVATION_EVENTS_DLQ = "activation-events-dlq";

    /** Every topic, for tools that create them (bin/infra, tests). */
    public static final java.util.List<String> ALL = java.util.List.of(AUDIENCE_DEFINITIONS, ACTIVATION_DEFINITIONS,
            RUN_REQUESTS, RUN_RESULTS, ACTIVATION_EVENTS, DELIVERY_OUTCOMES, ACTIVATION_EVENTS_DLQ);

    /** Topics that hold the latest state per key and are compacted. */
    public static final java.util.Set<String> COMPACTED = java.util.Set.of(AUDIENCE_DEFINITIONS, ACTIVATION_DEFINITIONS);

    private Topics() {
    }
}
