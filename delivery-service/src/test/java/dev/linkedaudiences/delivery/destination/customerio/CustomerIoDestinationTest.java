package dev.linkedaudiences.delivery.destination.customerio;

import dev.linkedaudiences.delivery.destination.LocalServerTest;
import dev.linkedaudiences.delivery.destination.DeliveryResult;
import dev.linkedaudiences.testsupport.RecordingHttpServer.RecordedRequest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.linkedaudiences.delivery.destination.Messages.identify;
import static dev.linkedaudiences.delivery.destination.Messages.track;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Customer.io's Track API v2 requests as a real local server receives them. */
class CustomerIoDestinationTest extends LocalServerTest {
    private final CustomerIoDestination customerIo = new CustomerIoDestination();

    private Map<String, String> settings(String bulk) {
        return Map.of("siteId", "site-1", "apiKey", "cio-key", "baseUrl", server.baseUrl(), "bulk", bulk);
    }

    @Test
    void anEventAndAnIdentifyAreOneEntityEachWithBasicAuth() throws Exception {
        assertTrue(sender.send(customerIo, "trackEvent", track("m1", "u1", "a@example.com"), settings("false")).succeeded());
        assertTrue(sender.send(customerIo, "trackEvent", identify("m2", null, "b@example.com"), settings("false")).succeeded());

        List<RecordedRequest> requests = server.requests();
        assertEquals(List.of("/api/v2/entity", "/api/v2/entity"), requests.stream().map(RecordedRequest::path).toList());
        assertEquals("Basic " + Base64.getEncoder().encodeToString("site-1:cio-key".getBytes(StandardCharsets.UTF_8)),
                requests.get(0).headers().get("authorization"));
        assertEquals(Map.of("type", "person", "identifiers", Map.of("id", "u1"), "action", "event", "id", "m1",
                "name", "abandoned_carts_linked_audience", "timestamp", 1795507200,
                "attributes", Map.of("first_name", "Andrew", "cart_updated_at", "2026-11-23T17:45:12+01:00", "birthday", "1990-04-01")),
                json.readValue(requests.get(0).body(), Map.class));
        assertEquals(Map.of("type", "person", "identifiers", Map.of("email", "b@example.com"), "action", "identify",
                "timestamp", 1795507200, "attributes", Map.of("abandoned_carts", true, "first_name", "Andrew",
                        "last_order_at", "2026-11-20T10:00:00Z", "email", "b@example.com")),
                json.readValue(requests.get(1).body(), Map.class));
    }

    @Test
    void batchesHoldAHundredEntitiesAndA207FailsOnlyTheListedOnes() throws Exception {
        List<Map<String, Object>> messages = new ArrayList<>();
        IntStream.range(0, 150).forEach(i -> messages.add(track("m" + i, "u" + i, null)));
        server.stub("/api/v2/batch", """
                {"errors":[{"batch_index":3,"reason":"invalid","field":"identifiers","message":"identifier missing"}]}""");

        List<DeliveryResult> results = sender.sendAll(customerIo, "trackEvent", messages, settings("true"));

        List<RecordedRequest> requests = server.requestsTo("/api/v2/batch");
        assertEquals(2, requests.size());
        List<Integer> sizes = requests.stream().map(r -> readBatch(r).size()).sorted().toList();
        assertEquals(List.of(50, 100), sizes);
        // Index 3 of each request was refused (the stub answers both the same): m3, and m103 in the second request.
        List<String> failed = IntStream.range(0, 150).filter(i -> !results.get(i).succeeded()).mapToObj(i -> "m" + i).toList();
        assertEquals(List.of("m3", "m103"), failed);
        assertEquals("customer.io: identifier missing (identifiers)", results.get(3).reason());
        assertEquals(DeliveryResult.Kind.ITEM_REFUSED, results.get(3).kind());
    }

    @Test
    void withoutIdentifierOrSettingsNothingIsSent() {
        assertEquals("missing_identifier", sender.send(customerIo, "trackEvent", track("m1", null, null), settings("true")).reason());
        assertEquals("missing_setting: siteId", sender.send(customerIo, "identify", track("m1", "u1", null),
                Map.of("apiKey", "k", "baseUrl", server.baseUrl())).reason());
        assertEquals("unsupported_action: send", sender.send(customerIo, "send", track("m1", "u1", null), settings("true")).reason());
        assertEquals(0, server.requests().size());
    }

    @SuppressWarnings("unchecked")
    private List<Object> readBatch(RecordedRequest request) {
        try {
            return (List<Object>) json.readValue(request.body(), Map.class).get("batch");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
