package dev.linkedaudiences.delivery.metrics;

import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DeliveryMetricsTest {

    @Test
    void everyStepIsExportedAndEventsFromAudienceIsTheirSum() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MultiGauge gauge = MultiGauge.builder(DeliveryMetrics.NAME).register(registry);
        gauge.register(DeliveryMetrics.gaugeRows(List.of(
                new Object[]{"aud", "act", "Entered", "iterable", "successful", 7L},
                new Object[]{"aud", "act", "Entered", "iterable", "failed", 2L},
                new Object[]{"aud", "act", "Entered", "iterable", "pending", 1L},
                new Object[]{"aud", "act-2", "Exited", null, "filtered_at_destination", 3L})), true);

        assertEquals(7, value(registry, "act", "successful"));
        assertEquals(2, value(registry, "act", "failed"));
        assertEquals(1, value(registry, "act", "pending_retry"));
        assertEquals(0, value(registry, "act", "filtered_at_source"));
        assertEquals(10, value(registry, "act", "events_from_audience"));
        assertEquals(3, value(registry, "act-2", "events_from_audience"));
        assertEquals("unknown", registry.get(DeliveryMetrics.NAME).tag("activation_id", "act-2").gauges()
                .iterator().next().getId().getTag("destination"));
        assertEquals(12, registry.get(DeliveryMetrics.NAME).gauges().size());
    }

    private static double value(SimpleMeterRegistry registry, String activationId, String step) {
        return registry.get(DeliveryMetrics.NAME).tag("activation_id", activationId).tag("step", step).gauge().value();
    }
}
