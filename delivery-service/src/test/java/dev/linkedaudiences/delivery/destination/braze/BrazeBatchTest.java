package dev.linkedaudiences.delivery.destination.braze;

import dev.linkedaudiences.delivery.destination.LocalServerTest;
import dev.linkedaudiences.delivery.destination.DeliveryResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.linkedaudiences.delivery.destination.Messages.identify;
import static dev.linkedaudiences.delivery.destination.Messages.track;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Braze's /users/track batches, as a real local server receives them. */
class BrazeBatchTest extends LocalServerTest {
    private final BrazeDestination braze = new BrazeDestination();

    private Map<String, String> settings() {
        return Map.of("apiKey", "bz-key", "endpoint", server.baseUrl());
    }

    @Test
    void atMostSeventyFiveObjectsPerRequestAndErrorsFailTheirIndexOnly() throws Exception {
        server.stub("/users/track", """
                {"message":"success","errors":[{"type":"'external_id' is invalid","input_array":"events","index":1}]}""");
        List<Map<String, Object>> messages = new ArrayList<>();
        IntStream.range(0, 80).forEach(i -> messages.add(track("m" + i, "u" + i, null)));

        List<DeliveryResult> results = sender.sendAll(braze, "trackEvent", messages, settings());

        assertEquals(2, server.requests().size());
        List<Integer> sizes = server.requests().stream().map(r -> events(r.body(), "events").size()).sorted().toList();
        assertEquals(List.of(5, 75), sizes);
        List<Integer> failed = IntStream.range(0, 80).filter(i -> !results.get(i).succeeded()).boxed().toList();
        assertEquals(List.of(1, 76), failed);
        assertEquals("braze: 'external_id' is invalid", results.get(1).reason());
    }

    @Test
    void identifyMessagesBecomeAttributes() throws Exception {
        DeliveryResult result = sender.send(braze, "updateUserProfile", identify("m1", "u1", "a@example.com"), settings());
        assertTrue(result.succeeded());
        assertEquals(List.of(Map.of("abandoned_carts", true, "first_name", "Andrew", "last_order_at", "2026-11-20T10:00:00Z",
                "external_id", "u1", "email", "a@example.com")), events(server.requests().get(0).body(), "attributes"));
        assertEquals("Bearer bz-key", server.requests().get(0).headers().get("authorization"));
    }

    @SuppressWarnings("unchecked")
    private List<Object> events(String body, String field) {
        try {
            return (List<Object>) json.readValue(body, Map.class).get(field);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
