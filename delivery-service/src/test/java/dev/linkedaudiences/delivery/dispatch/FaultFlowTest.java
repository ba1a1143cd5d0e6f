package dev.linkedaudiences.delivery.dispatch;

import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.delivery.DeliveryFixtures;
import dev.linkedaudiences.delivery.DeliveryFixtures.TestActivation;
import dev.linkedaudiences.testsupport.LocalInfrastructure;
import dev.linkedaudiences.testsupport.RecordingHttpServer;
import dev.linkedaudiences.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.linkedaudiences.delivery.DeliveryFixtures.API_KEY;
import static dev.linkedaudiences.delivery.DeliveryFixtures.PATIENCE;
import static dev.linkedaudiences.delivery.DeliveryFixtures.activation;
import static dev.linkedaudiences.delivery.DeliveryFixtures.assertDeadLetter;
import static dev.linkedaudiences.delivery.DeliveryFixtures.assertProfileOrder;
import static dev.linkedaudiences.delivery.DeliveryFixtures.awaitAllStatus;
import static dev.linkedaudiences.delivery.DeliveryFixtures.awaitStatus;
import static dev.linkedaudiences.delivery.DeliveryFixtures.deliveryEventsGauge;
import static dev.linkedaudiences.delivery.DeliveryFixtures.overview;
import static dev.linkedaudiences.delivery.DeliveryFixtures.produce;
import static dev.linkedaudiences.delivery.DeliveryFixtures.produceAll;
import static dev.linkedaudiences.delivery.DeliveryFixtures.row;
import static dev.linkedaudiences.delivery.DeliveryFixtures.sentIds;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults injected by real local servers (500s, 429 with Retry-After, timeouts, connection resets, per-item bulk
 * failures, an outage), through the real broker and database. After each: every event accounted for in exactly one
 * step, none lost, each profile's events in order.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = DeliveryFixtures.DATABASE))
class FaultFlowTest {
    private RecordingHttpServer server;

    @BeforeEach
    void startServer() {
        server = RecordingHttpServer.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private TestActivation iterable(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of("apiKey", API_KEY, "baseUrl", server.baseUrl()));
        settings.putAll(extra);
        return activation("iterable", "trackEvent", settings);
    }

    private TestActivation webhook(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of("url", server.baseUrl() + "/hook", "secret", "s3cr3t"));
        settings.putAll(extra);
        return activation("webhook", "send", settings);
    }

    /** {@code perProfile} events for each of {@code profiles} profiles, interleaved as a run would produce them. */
    private static List<ActivationEvent> events(TestActivation activation, int profiles, int perProfile) {
        List<ActivationEvent> events = new ArrayList<>();
        for (int n = 0; n < perProfile; n++) {
            for (int p = 0; p < profiles; p++) {
                events.add(activation.event("p" + p));
            }
        }
        return events;
    }

    /** Every event is in exactly one step, and {@code expected} of them in the final step {@code step}. */
    private static JsonPath assertAccountedFor(TestActivation activation, int events, String step, int expected) {
        JsonPath overview = overview(activation); // checks events from audience = the sum of the five steps
        assertEquals(events, overview.getInt("steps.eventsFromAudience"));
        assertEquals(expected, overview.getInt("steps." + step));
        return overview;
    }

    @Test
    void serverErrorsTimeoutsAndResetsAreRetriedInOrder() {
        TestActivation activation = iterable(Map.of());
        server.failNext(2, 500, Map.of());
        server.resetNext(2);
        server.delayNext(1, 3000); // the test client gives up after 2 s
        server.failNext(1, 503, Map.of());
        List<ActivationEvent> events = events(activation, 5, 3);

        produceAll(events);
        awaitAllStatus(events, "successful");

        assertAccountedFor(activation, 15, "successfulDelivery", 15);
        List<String> sent = sentIds(server.requests());
        assertEquals(15 + 6, sent.size(), "each fault cost one more attempt");
        assertProfileOrder(sent, events);
        await().atMost(PATIENCE).until(() -> Double.valueOf(15).equals(deliveryEventsGauge(activation.activationId(), "successful")));
        assertEquals(15.0, deliveryEventsGauge(activation.activationId(), "events_from_audience"));
    }

    @Test
    void a429PausesTheWholeEndpointForItsRetryAfter() {
        TestActivation activation = iterable(Map.of());
        server.failNext(1, 429, Map.of("Retry-After", "2"));
        ActivationEvent first = activation.event("p1");
        produce(first);
        await().atMost(PATIENCE).until(() -> server.requests().size() == 1);
        Instant throttledAt = Instant.now();

        ActivationEvent otherProfile = activation.event("p2");
        produce(otherProfile);
        // Another profile's event waits too: the endpoint, not the event, was told to wait.
        await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(5)).until(() -> server.requests().size() == 1);
        awaitStatus(otherProfile, "successful");
        awaitStatus(first, "successful");
        assertTrue(Duration.between(throttledAt, Instant.now()).toMillis() >= 1500);
        assertEquals(1, row(otherProfile.messageId()).get("attempts"), "waiting for the endpoint is not an attempt");
        assertAccountedFor(activation, 2, "successfulDelivery", 2);
    }

    @Test
    void perItemBulkFailuresFailOnlyThoseItems() {
        TestActivation activation = iterable(Map.of("bulk", "true"));
        server.stub("/api/events/trackBulk", """
                {"successCount":5,"failCount":1,"invalidEmails":["p3@example.com"],"invalidUserIds":[],
                 "failedUpdates":{"notFoundEmails":[]}}""");
        List<ActivationEvent> events = events(activation, 6, 1);

        produceAll(events);
        events.forEach(event -> awaitStatus(event, event.profileId().equals("p3") ? "failed" : "successful"));

        assertTrue(server.requests().stream().allMatch(r -> r.path().equals("/api/events/trackBulk")));
        assertAccountedFor(activation, 6, "failedDelivery", 1);
        assertEquals(5, overview(activation).getInt("steps.successfulDelivery"));
        ActivationEvent refused = events.stream().filter(e -> e.profileId().equals("p3")).findFirst().orElseThrow();
        assertEquals("iterable invalidEmails: p3@example.com", row(refused.messageId()).get("reason"));
    }

    @Test
    void anOutageIsRiddenOutWithNothingLostAndOrderKept() {
        TestActivation activation = webhook(Map.of("bulk", "true"));
        server.down(503);
        List<ActivationEvent> events = events(activation, 10, 3);

        produceAll(events);
        await().atMost(PATIENCE).until(() -> server.requests().size() >= 3);
        // Mid-outage: all 30 accounted for, as pending.
        assertAccountedFor(activation, 30, "pendingRetry", 30);
        await().pollDelay(Duration.ofSeconds(2)).atMost(PATIENCE).until(() -> true);
        server.up();
        awaitAllStatus(events, "successful");

        assertAccountedFor(activation, 30, "successfulDelivery", 30);
        assertProfileOrder(sentIds(server.requests()), events);
        assertTrue(server.requests().stream().allMatch(r -> r.headers().get("x-signature-256").startsWith("sha256=")));
    }

    @Test
    void theRetryWindowIsTheDestinationsAndDeadLettersCanBeReplayed() {
        TestActivation activation = webhook(Map.of("retryWindow", "PT2S"));
        server.down(503);
        ActivationEvent event = activation.event("p1");

        produce(event);
        awaitStatus(event, "failed");
        assertTrue(((String) row(event.messageId()).get("reason")).startsWith("retry window PT2S exhausted after "));
        assertAccountedFor(activation, 1, "failedDelivery", 1);

        server.up();
        given().auth().oauth2(Tokens.forRole(Roles.ENGAGE_USER)).contentType("application/json")
                .body(Map.of("activationId", activation.activationId()))
                .post("/api/v1/delivery-overview/dead-letters/replay")
                .then().statusCode(200).body("replayed", equalTo(1));
        awaitStatus(event, "successful");
        assertAccountedFor(activation, 1, "successfulDelivery", 1);
        assertEquals(0, overview(activation).getInt("steps.failedDelivery"));
        assertEquals(event.messageId(), sentIds(server.requests()).get(server.requests().size() - 1));
    }

    @Test
    void aReplayNeverSendsAnEventAfterTheOneThatFollowedIt() {
        TestActivation activation = webhook(Map.of());
        ActivationEvent entered = activation.identify("p1", "run-1", true);
        ActivationEvent otherEntered = activation.identify("p2", "run-1", true);
        ActivationEvent exited = activation.identify("p1", "run-2", false);
        server.failNext(2, 400, Map.of());
        produceAll(List.of(entered, otherEntered));
        awaitAllStatus(List.of(entered, otherEntered), "failed");
        produce(exited);
        awaitStatus(exited, "successful");

        for (int replay = 0; replay < 2; replay++) { // a second replay finds the same: counters that still add up
            given().auth().oauth2(Tokens.forRole(Roles.ENGAGE_USER)).contentType("application/json")
                    .body(Map.of("runId", "run-1", "audienceId", activation.audienceId()))
                    .post("/api/v1/delivery-overview/dead-letters/replay")
                    .then().statusCode(200)
                    .body("replayed", equalTo(1 - replay)).body("superseded", equalTo(1));
            awaitStatus(otherEntered, "successful");
        }

        List<String> sent = sentIds(server.requests());
        assertEquals(List.of(entered.messageId(), exited.messageId()),
                sent.stream().filter(id -> id.equals(entered.messageId()) || id.equals(exited.messageId())).toList(),
                "p1's entry, refused, never comes after its exit");
        assertEquals(2, Collections.frequency(sent, otherEntered.messageId()), "p2's entry refused, then replayed");
        assertDeadLetter(activation, entered, "superseded by " + exited.messageId(), 1); // still failed, and why
        JsonPath overview = assertAccountedFor(activation, 3, "successfulDelivery", 2);
        assertEquals(1, overview.getInt("steps.failedDelivery"));
    }

    @Test
    void replayNeedsAFilterAndAWritingRole() {
        given().auth().oauth2(Tokens.forRole(Roles.ENGAGE_USER)).contentType("application/json").body(Map.of())
                .post("/api/v1/delivery-overview/dead-letters/replay")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItems("/audienceId", "/activationId", "/runId", "/from", "/to"));
        given().auth().oauth2(Tokens.forRole(Roles.ENGAGE_USER)).contentType("application/json").body(Map.of("from", "yesterday"))
                .post("/api/v1/delivery-overview/dead-letters/replay")
                .then().statusCode(400).body("errors.pointer", hasItems("/from"));
        given().auth().oauth2(Tokens.forRole(Roles.READ_ONLY)).contentType("application/json").body(Map.of("runId", "r"))
                .post("/api/v1/delivery-overview/dead-letters/replay")
                .then().statusCode(403);
        given().auth().oauth2(Tokens.forRole(Roles.WORKSPACE_OWNER)).contentType("application/json")
                .body(Map.of("runId", "no-such-run", "from", "2026-01-01T00:00:00Z"))
                .post("/api/v1/delivery-overview/dead-letters/replay")
                .then().statusCode(200).body("replayed", equalTo(0));
    }

    @Test
    void filteredAtSourceIsCountedAndNeverSent() {
        TestActivation activation = webhook(Map.of());
        ActivationEvent tooLarge = activation.event("p1");
        ActivationEvent filtered = new ActivationEvent(tooLarge.activationId(), tooLarge.audienceId(), tooLarge.runId(),
                tooLarge.profileId(), tooLarge.trigger(), tooLarge.message(), "payload_too_large");
        ActivationEvent sent = activation.event("p1");

        produceAll(List.of(filtered, sent));
        awaitStatus(sent, "successful");

        assertEquals("filtered_at_source", row(filtered.messageId()).get("status"));
        assertEquals("payload_too_large", row(filtered.messageId()).get("reason"));
        assertEquals(List.of(sent.messageId()), sentIds(server.requests()));
        assertAccountedFor(activation, 2, "filteredAtSource", 1);
        await().atMost(PATIENCE).until(() -> Double.valueOf(1).equals(deliveryEventsGauge(activation.activationId(), "filtered_at_source")));
    }

    @Test
    void aPrivateAddressIsRefusedAtSendTime() {
        TestActivation activation = activation("webhook", "send", Map.of("url", "http://10.0.0.1/hook", "secret", "webhook-signing-secret"));
        ActivationEvent event = activation.event("p1");

        produce(event);
        awaitStatus(event, "failed");

        assertEquals("url_not_allowed: 10.0.0.1 is not a public address: private (10.0.0.0/8)",
                row(event.messageId()).get("reason"));
        assertEquals(0, row(event.messageId()).get("attempts"));
        assertAccountedFor(activation, 1, "failedDelivery", 1);
    }
}
