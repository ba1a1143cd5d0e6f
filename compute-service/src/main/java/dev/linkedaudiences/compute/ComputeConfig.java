package dev.linkedaudiences.compute;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** compute-service settings ({@code compute.*}); the warehouse's are {@code warehouse.*} (WarehouseSettings). */
@ConfigMapping(prefix = "compute")
public interface ComputeConfig {

    /** Runs executing at once across all instances; the rest wait in the queue. */
    @WithDefault("5")
    int maxConcurrentRuns();

    /** A running run whose executor sent no heartbeat for this long is queued again (its instance died). */
    @WithDefault("PT60S")
    Duration abandonedAfter();

    /** How often queued runs are claimed (read by {@code @Scheduled}, in its "1s" form). */
    @WithDefault("1s")
    String pollInterval();

    /** How often a running run's executor refreshes its heartbeat. */
    @WithDefault("10s")
    String heartbeatInterval();

    /** How often due schedules are checked: a scheduled run starts at most this much (plus a claim) late. */
    @WithDefault("15s")
    String scheduleTick();

    /** How long a queued run waits for its audience's definition to arrive before it fails. */
    @WithDefault("PT30S")
    Duration definitionWait();

    /**
     * Changes a run reads from the warehouse at a time: each page is enriched with one query per enriched
     * relationship and turned into events before the next is read, so a run's memory is bounded by this.
     */
    @WithDefault("1000")
    int pageSize();

    /** Events of a run sent to Kafka and not yet acknowledged, at most; the run waits for acknowledgements beyond. */
    @WithDefault("10000")
    int maxInFlightEvents();
}
