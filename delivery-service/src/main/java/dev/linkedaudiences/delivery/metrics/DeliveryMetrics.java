package dev.linkedaudiences.delivery.metrics;

import dev.linkedaudiences.delivery.event.DeliveryStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exports the delivery overview's steps as the gauge family {@code la_delivery_events} (docs/metrics.md), by
 * audience, activation, event name and destination. The values are recomputed from the database every few seconds
 * rather than counted in memory, so that they agree with the overview API across restarts and instances.
 */
@ApplicationScoped
public class DeliveryMetrics {
    static final String NAME = "la.delivery.events";
    static final String EVENTS_FROM_AUDIENCE = "events_from_audience";
    private static final String UNKNOWN = "unknown";

    private final MultiGauge events;

    public DeliveryMetrics(MeterRegistry registry) {
        this.events = MultiGauge.builder(NAME)
                .description("Activation events by delivery step; events_from_audience is the sum of the other steps")
                .register(registry);
    }

    /** The labels of one series, without the step. */
    record Series(String audienceId, String activationId, String eventName, String destination) {
        Tags tags(String step) {
            return Tags.of("step", step, "audience_id", audienceId, "activation_id", activationId,
                    "event_name", eventName, "destination", destination);
        }
    }

    @Scheduled(every = "${delivery.metrics-interval}",
                concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
                skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> refresh() {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.createNativeQuery("""
                        select audience_id, activation_id, event_name, destination, status, count(*)
                        from delivery_event
                        group by audience_id, activation_id, event_name, destination, status""", Object[].class)
                        .getResultList()))
                .invoke(rows -> events.register(gaugeRows(rows), true))
                .onFailure().invoke(e -> Log.warnf("Delivery metrics not refreshed: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** One row per series and step, every step present (zero included), plus their sum as events_from_audience. */
    static List<MultiGauge.Row<?>> gaugeRows(List<Object[]> counts) {
        Map<Series, Map<DeliveryStatus, Long>> bySeries = new LinkedHashMap<>();
        for (Object[] row : counts) {
            Series series = new Series(label(row[0]), label(row[1]), label(row[2]), label(row[3]));
            bySeries.computeIfAbsent(series, s -> new LinkedHashMap<>())
                    .merge(DeliveryStatus.of((String) row[4]), ((Number) row[5]).longValue(), Long::sum);
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        bySeries.forEach((series, byStatus) -> {
            long total = 0;
            for (DeliveryStatus status : DeliveryStatus.values()) {
                long count = byStatus.getOrDefault(status, 0L);
                total += count;
                rows.add(MultiGauge.Row.of(series.tags(status.metricStep), count));
            }
            rows.add(MultiGauge.Row.of(series.tags(EVENTS_FROM_AUDIENCE), total));
        });
        return rows;
    }

    private static String label(Object value) {
        return value == null ? UNKNOWN : value.toString();
    }
}
