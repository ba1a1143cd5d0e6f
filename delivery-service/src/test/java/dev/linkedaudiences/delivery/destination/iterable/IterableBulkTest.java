package dev.linkedaudiences.delivery.destination.iterable;

import dev.linkedaudiences.delivery.destination.LocalServerTest;
import dev.linkedaudiences.delivery.destination.DeliveryResult;
import dev.linkedaudiences.testsupport.RecordingHttpServer.RecordedRequest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.linkedaudiences.delivery.destination.Messages.identify;
import static dev.linkedaudiences.delivery.destination.Messages.track;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Iterable's bulk endpoints and updateUser, as a real local server receives them. */
class IterableBulkTest extends LocalServerTest {
    private final IterableDestination iterable = new IterableDestination();

    private Map<String, String> settings(boolean bulk) {
        return Map.of("apiKey", "it-key", "baseUrl", server.baseUrl(), "bulk", String.valueOf(bulk));
    }

    @Test
    void trackBulkSendsOneRequestAndFailsOnlyTheItemsTheReplyNames() throws Exception {
        server.stub("/api/events/trackBulk", """
                {"successCount":2,"failCount":2,"invalidEmails":["bad@example.com"],"invalidUserIds":[],
                 "disallowedEventNames":[],"filteredOutFields":[],"createdFields":[],
                 "failedUpdates":{"notFoundUserIds":["u4"],"forgottenEmails":[]}}""");
        List<Map<String, Object>> messages = List.of(track("m1", "u1", "a@example.com"), track("m2", null, "bad@example.com"),
                track("m3", "u3", null), track("m4", "u4", null));

        List<DeliveryResult> results = sender.sendAll(iterable, "trackEvent", messages, settings(true));

        List<RecordedRequest> requests = server.requests();
        assertEquals(1, requests.size());
        assertEquals("/api/events/trackBulk", requests.get(0).path());
        assertEquals("it-key", requests.get(0).headers().get("api-key"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> events = (List<Map<String, Object>>) json.readValue(requests.get(0).body(), Map.class).get("events");
        assertEquals(4, events.size());
        assertEquals(Map.of("email", "a@example.com", "userId", "u1", "eventName", "abandoned_carts_linked_audience",
                "id", "m1", "createdAt", 1795507200, "dataFields", Map.of("first_name", "Andrew",
                        "cart_updated_at", "2026-11-23 16:45:12 +00:00", "birthday", "1990-04-01")), events.get(0));
        assertTrue(results.get(0).succeeded());
        assertEquals("iterable invalidEmails: bad@example.com", results.get(1).reason());
        assertTrue(results.get(2).succeeded());
        assertEquals("iterable notFoundUserIds: u4", results.get(3).reason());
        assertEquals(DeliveryResult.Kind.ITEM_REFUSED, results.get(3).kind());
    }

    @Test
    void identifyMessagesUpdateTheUserSingleOrBulk() throws Exception {
        assertTrue(sender.send(iterable, "trackEvent", identify("m1", "u1", "a@example.com"), settings(false)).succeeded());
        assertEquals("/api/users/update", server.requests().get(0).path());
        assertEquals(Map.of("email", "a@example.com", "userId", "u1", "dataFields", Map.of("abandoned_carts", true,
                        "first_name", "Andrew", "last_order_at", "2026-11-20 10:00:00 +00:00"),
                "preferUserId", true, "mergeNestedObjects", true), json.readValue(server.requests().get(0).body(), Map.class));

        server.stub("/api/users/bulkUpdate", """
                {"successCount":1,"failCount":1,"failedUpdates":{"invalidEmails":[],"conflictEmails":["b@example.com"]}}""");
        List<DeliveryResult> results = sender.sendAll(iterable, "updateUser",
                List.of(identify("m2", "u2", null), identify("m3", null, "b@example.com")), settings(true));
        assertEquals("/api/users/bulkUpdate", server.requests().get(1).path());
        @SuppressWarnings("unchecked")
        List<Object> users = (List<Object>) json.readValue(server.requests().get(1).body(), Map.class).get("users");
        assertEquals(2, users.size());
        assertTrue(results.get(0).succeeded());
        assertEquals("iterable conflictEmails: b@example.com", results.get(1).reason());
    }

    @Test
    void aBulkBodyStaysUnderFourMegabytes() throws Exception {
        String big = "x".repeat(300_000);
        List<Map<String, Object>> messages = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Map<String, Object> message = new java.util.LinkedHashMap<>(track("m" + i, "u" + i, null));
            message.put("properties", Map.of("blob", big));
            messages.add(message);
        }
        List<DeliveryResult> results = sender.sendAll(iterable, "trackEvent", messages, settings(true));
        assertTrue(results.stream().allMatch(DeliveryResult::succeeded));
        assertTrue(server.requests().size() >= 3, "split into " + server.requests().size());
        assertTrue(server.requests().stream().allMatch(r -> r.body().length() <= 4 * 1024 * 1024));
    }
}
