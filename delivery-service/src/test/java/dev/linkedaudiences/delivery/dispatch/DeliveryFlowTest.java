package dev.linkedaudiences.delivery.dispatch;

import dev.linkedaudiences.contracts.Topics;
import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.delivery.DeliveryFixtures;
import dev.linkedaudiences.delivery.DeliveryFixtures.TestActivation;
import dev.linkedaudiences.testsupport.LocalInfrastructure;
import dev.linkedaudiences.testsupport.RecordingHttpServer;
import dev.linkedaudiences.testsupport.RecordingHttpServer.RecordedRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.linkedaudiences.delivery.DeliveryFixtures.PATIENCE;
import static dev.linkedaudiences.delivery.DeliveryFixtures.activation;
import static dev.linkedaudiences.delivery.DeliveryFixtures.assertDeadLetter;
import static dev.linkedaudiences.delivery.DeliveryFixtures.deliveryEventsGauge;
import static dev.linkedaudiences.delivery.DeliveryFixtures.awaitStatus;
import static dev.linkedaudiences.delivery.DeliveryFixtures.body;
import static dev.linkedaudiences.delivery.DeliveryFixtures.count;
import static dev.linkedaudiences.delivery.DeliveryFixtures.overview;
import static dev.linkedaudiences.delivery.DeliveryFixtures.produce;
import static dev.linkedaudiences.delivery.DeliveryFixtures.published;
import static dev.linkedaudiences.delivery.DeliveryFixtures.row;
import static dev.linkedaudiences.delivery.DeliveryFixtures.trackedIds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Events from activation-events to a fake Iterable (a real local HTTP server), through the real broker and database. */
@QuarkusTest
@QuarkusTestResource(value = LocalInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = DeliveryFixtures.DATABASE))
class DeliveryFlowTest {
    private RecordingHttpServer iterable;

    @BeforeEach
    void startIterable() {
        iterable = RecordingHttpServer.start();
    }

    @AfterEach
    void stopIterable() {
        iterable.close();
    }

    @Test
    void anEventIsTrackedOnceWithTheApiKeyAndTheMappedBody() {
        TestActivation activation = activation(iterable.baseUrl(), true);
        ActivationEvent event = activation.event("p1");

        produce(event);
        awaitStatus(event, "successful");

        List<RecordedRequest> requests = iterable.requests();
        assertEquals(1, requests.size());
        RecordedRequest request = requests.get(0);
        assertEquals("POST", request.method());
        assertEquals("/api/events/track", request.path());
        assertEquals(DeliveryFixtures.API_KEY, request.headers().get("api-key"));
        assertTrue(request.headers().get("content-type").startsWith("application/json"));
        assertEquals(Map.of(
                "email", "p1@example.com",
                "userId", "user-p1",
                "eventName", "abandoned_carts_linked_audience",
                "id", event.messageId(),
                "createdAt", 1795507200,
                "dataFields", Map.of("audience_key", "abandoned_carts", "first_name", "Andrew",
                        "cart_updated_at", "2026-11-23 16:45:12 +00:00", "birthday", "1990-04-01")), body(request));

        JsonPath overview = overview(activation);
        assertEquals(1, overview.getInt("steps.eventsFromAudience"));
        assertEquals(1, overview.getInt("steps.successfulDelivery"));
        assertEquals(1, (int) row(event.messageId()).get("attempts"));

        await().atMost(PATIENCE).until(() -> published(Topics.DELIVERY_OUTCOMES).stream().anyMatch(outcome ->
                event.messageId().equals(outcome.getString("messageId"))
                        && "successful".equals(outcome.getString("step"))
                        && activation.audienceId().equals(outcome.getString("audienceId"))));
        await().atMost(PATIENCE).until(() -> (Boolean) row(event.messageId()).get("outcome_published"));
        // The same numbers on /q/metrics (the management interface).
        await().atMost(PATIENCE).until(() -> Double.valueOf(1).equals(deliveryEventsGauge(activation.activationId(), "successful")));
        assertEquals(1.0, deliveryEventsGauge(activation.activationId(), "events_from_audience"));
        assertEquals(0.0, deliveryEventsGauge(activation.activationId(), "failed"));
    }

    @Test
    void retriesServerErrorsAndKeepsAProfilesEventsInOrder() {
        TestActivation activation = activation(iterable.baseUrl(), true);
        iterable.failNext(2, 500, Map.of());
        ActivationEvent entered = activation.event("p1");
        ActivationEvent second = activation.event("p1");

        produce(entered);
        produce(second);
        awaitStatus(second, "successful");

        assertEquals("successful", row(entered.messageId()).get("status"));
        assertEquals(3, row(entered.messageId()).get("attempts"));
        assertEquals(1, row(second.messageId()).get("attempts"));
        // The second event waited for the first, through both of its retries.
        assertEquals(List.of(entered.messageId(), entered.messageId(), entered.messageId(), second.messageId()),
                trackedIds(iterable.requests()));
        JsonPath overview = overview(activation);
        assertEquals(2, overview.getInt("steps.successfulDelivery"));
        assertEquals(0, overview.getInt("steps.pendingRetry"));
    }

    @Test
    void retryAfterIsHonouredWhileOtherProfilesKeepFlowing() {
        TestActivation activation = activation(iterable.baseUrl(), true);
        // A 503 with Retry-After: this event waits; a 429 would pause the whole endpoint (FaultFlowTest).
        iterable.failNext(1, 503, Map.of("Retry-After", "4"));
        ActivationEvent first = activation.event("p1");
        produce(first);
        await().atMost(PATIENCE).until(() -> iterable.requests().size() == 1);
        Instant throttledAt = Instant.now();

        ActivationEvent sameProfile = activation.event("p1");
        ActivationEvent otherProfile = activation.event("p2");
        produce(sameProfile);
        produce(otherProfile);
        awaitStatus(otherProfile, "successful");

        // p2 went through while p1 waits for its Retry-After, and p1's next event waits behind the throttled one.
        assertEquals(List.of(first.messageId(), otherProfile.messageId()), trackedIds(iterable.requests()));
        assertEquals("pending", row(first.messageId()).get("status"));
        assertEquals("HTTP 503: injected fault", row(first.messageId()).get("reason"));
        assertEquals("pending", row(sameProfile.messageId()).get("status"));
        assertEquals(1, overview(activation).getInt("steps.successfulDelivery"));
        assertEquals(2, overview(activation).getInt("steps.pendingRetry"));

        awaitStatus(sameProfile, "successful");
        assertEquals(List.of(first.messageId(), otherProfile.messageId(), first.messageId(), sameProfile.messageId()),
                trackedIds(iterable.requests()));
        Duration waited = Duration.between(throttledAt, Instant.now());
        assertTrue(waited.compareTo(Duration.ofMillis(3500)) >= 0, "retried after " + waited);
        assertEquals(3, overview(activation).getInt("steps.successfulDelivery"));
    }

    @Test
    void aRefusalFailsAtOnceAndBecomesADeadLetter() {
        TestActivation activation = activation(iterable.baseUrl(), true);
        iterable.failNext(1, 400, Map.of());
        ActivationEvent refused = activation.event("p1");

        produce(refused);
        awaitStatus(refused, "failed");

        assertEquals(1, iterable.requests().size());
        assertEquals("HTTP 400: injected fault", row(refused.messageId()).get("reason"));
        JsonPath overview = overview(activation);
        assertEquals(1, overview.getInt("steps.failedDelivery"));
        assertEquals(0, overview.getInt("steps.successfulDelivery"));
        assertDeadLetter(activation, refused, "HTTP 400: injected fault", 1);

        await().atMost(PATIENCE).until(() -> published(Topics.ACTIVATION_EVENTS_DLQ).stream().anyMatch(dead ->
                refused.messageId().equals(dead.getString("message.messageId"))
                        && "p1".equals(dead.getString("profileId"))
                        && "run-1".equals(dead.getString("runId"))));
        await().atMost(PATIENCE).until(() -> published(Topics.DELIVERY_OUTCOMES).stream().anyMatch(outcome ->
                refused.messageId().equals(outcome.getString("messageId"))
                        && "failed".equals(outcome.getString("step"))
                        && "HTTP 400: injected fault".equals(outcome.getString("reason"))));
    }

    @Test
    void anEventWithoutIdentifierFailsWithoutBeingSent() {
        TestActivation activation = activation(iterable.baseUrl(), true);
        ActivationEvent anonymous = activation.event("p1", null, null);

        produce(anonymous);
        awaitStatus(anonymous, "failed");

        assertEquals("missing_identifier", row(anonymous.messageId()).get("reason"));
        assertEquals(0, row(anonymous.messageId()).get("attempts"));
        assertEquals(0, iterable.requests().size());
        assertEquals(1, overview(activation).getInt("steps.failedDelivery"));
        assertDeadLetter(activation, anonymous, "missing_identifier", 0);
    }

    @Test
    void aRedeliveredEventIsStoredAndSentOnce() {
        TestActivation activation = activation(iterable.baseUrl(), true);
        ActivationEvent event = activation.event("p1");
        ActivationEvent after = activation.event("p1");

        produce(event);
        produce(event);
        // Same key, same partition: once the later event is stored, the redelivery was consumed too.
        produce(after);
        awaitStatus(after, "successful");
        produce(event);
        ActivationEvent last = activation.event("p1");
        produce(last);
        awaitStatus(last, "successful");

        assertEquals(1, count("select count(*) from delivery_event where message_id = ?", event.messageId()));
        assertEquals(List.of(event.messageId(), after.messageId(), last.messageId()), trackedIds(iterable.requests()));
        JsonPath overview = overview(activation);
        assertEquals(3, overview.getInt("steps.eventsFromAudience"));
        assertEquals(3, overview.getInt("steps.successfulDelivery"));
    }

    @Test
    void eventsOfADisabledOrUnknownActivationAreFilteredAtDestination() {
        TestActivation disabled = activation(iterable.baseUrl(), false);
        ActivationEvent event = disabled.event("p1");
        TestActivation unknown = new TestActivation("never-published-" + java.util.UUID.randomUUID(), disabled.audienceId());
        ActivationEvent orphan = unknown.event("p2");

        produce(event);
        produce(orphan);
        awaitStatus(event, "filtered_at_destination");
        awaitStatus(orphan, "filtered_at_destination");

        assertEquals("activation_disabled", row(event.messageId()).get("reason"));
        assertEquals("activation_unknown", row(orphan.messageId()).get("reason"));
        assertEquals(0, iterable.requests().size());
        JsonPath overview = overview(disabled);
        assertEquals(2, overview.getInt("steps.eventsFromAudience"));
        assertEquals(2, overview.getInt("steps.filteredAtDestination"));
        await().atMost(PATIENCE).until(() -> published(Topics.DELIVERY_OUTCOMES).stream().anyMatch(outcome ->
                event.messageId().equals(outcome.getString("messageId"))
                        && "filtered_at_destination".equals(outcome.getString("step"))
                        && "activation_disabled".equals(outcome.getString("reason"))));
    }
}
