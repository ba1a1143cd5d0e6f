package dev.linkedaudiences.delivery.outcome;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.contracts.Topics;
import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.delivery.DeliveryFixtures;
import dev.linkedaudiences.delivery.DeliveryFixtures.TestActivation;
import dev.linkedaudiences.testsupport.LocalInfrastructure;
import dev.linkedaudiences.testsupport.LocalKafka;
import dev.linkedaudiences.testsupport.RecordingHttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static dev.linkedaudiences.delivery.DeliveryFixtures.PATIENCE;
import static dev.linkedaudiences.delivery.DeliveryFixtures.awaitAllStatus;
import static dev.linkedaudiences.delivery.DeliveryFixtures.count;
import static dev.linkedaudiences.delivery.DeliveryFixtures.execute;
import static dev.linkedaudiences.delivery.DeliveryFixtures.management;
import static dev.linkedaudiences.delivery.DeliveryFixtures.overview;
import static dev.linkedaudiences.delivery.DeliveryFixtures.published;
import static dev.linkedaudiences.delivery.DeliveryFixtures.sentIds;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sending needs no broker (issue 11): the service's Kafka address is a port where nothing listens, events stored
 * before the outage are still sent and recorded, their outcomes wait unpublished, and no event loop ever blocks in
 * the Kafka producer; once the broker is back (that port forwards to the real one), the relay publishes them.
 */
@QuarkusTest
@TestProfile(BrokerOutageTest.BrokerOutOfReach.class)
@QuarkusTestResource(value = LocalInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = DeliveryFixtures.DATABASE))
class BrokerOutageTest {
    /** Vert.x logs an event loop blocked for longer than this, with the stack it is blocked in. */
    private static final String BLOCKED_LOOP_WARNING = "500ms";

    public static class BrokerOutOfReach implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kafka.bootstrap.servers", "127.0.0.1:" + TcpForwarder.freePort(),
                    "quarkus.vertx.max-event-loop-execute-time", BLOCKED_LOOP_WARNING,
                    "quarkus.vertx.warning-exception-time", BLOCKED_LOOP_WARNING);
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String brokerAddress;
    @Inject
    ObjectMapper json;

    @Test
    void eventsAreSentDuringAnOutageAndTheirOutcomesPublishedAfterIt() throws Exception {
        assertNotEquals(LocalKafka.BOOTSTRAP, brokerAddress);
        List<LogRecord> producerOnEventLoop = new CopyOnWriteArrayList<>();
        Handler blockedLoops = blockedIn("org.apache.kafka.clients.producer", producerOnEventLoop);
        Logger checker = Logger.getLogger("io.vertx.core.impl.BlockedThreadChecker");
        checker.addHandler(blockedLoops);
        try (RecordingHttpServer sink = RecordingHttpServer.start();
             TcpForwarder broker = new TcpForwarder(brokerAddress, LocalKafka.BOOTSTRAP)) {
            TestActivation activation = storeWebhookActivation(sink.baseUrl() + "/hook");
            List<ActivationEvent> events = List.of(activation.event("p1"), activation.event("p2"), activation.event("p1"));
            for (ActivationEvent event : events) {
                storePending(event);
            }
            String[] ids = events.stream().map(ActivationEvent::messageId).toArray(String[]::new);
            String countPublished = "select count(*) from delivery_event where message_id = any(?) and outcome_published";

            awaitAllStatus(events, "successful");
            List<String> sent = sentIds(sink.requests());
            assertEquals(Set.of(ids), Set.copyOf(sent));
            assertEquals(ids.length, sent.size());
            assertEquals(0, count(countPublished, (Object) ids));
            JsonPath overview = overview(activation); // the API answers during the outage
            assertEquals(3, overview.getInt("steps.successfulDelivery"));
            management().get("/q/health/ready").then().statusCode(anyOf(is(200), is(503)));

            broker.open();
            await().atMost(PATIENCE).until(() -> count(countPublished, (Object) ids) == ids.length);
            List<String> outcomes = published(Topics.DELIVERY_OUTCOMES).stream()
                    .filter(outcome -> "successful".equals(outcome.getString("step")))
                    .map(outcome -> outcome.getString("messageId")).toList();
            assertTrue(outcomes.containsAll(Arrays.asList(ids)), "outcomes published once the broker is back: " + outcomes);
        } finally {
            checker.removeHandler(blockedLoops);
        }
        assertEquals(List.of(), producerOnEventLoop, "no event loop waited in the Kafka producer");
    }

    /** An enabled webhook activation, as the activation-definitions consumer would have stored it before the outage. */
    private TestActivation storeWebhookActivation(String url) throws Exception {
        TestActivation activation = new TestActivation(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        execute("""
                insert into activation_state (id, audience_id, audience_key, trigger, event_name, enabled, status,
                                              destination_id, destination_type, action, settings, changed_at)
                values (?, ?, 'abandoned_carts', 'profile_entered', 'abandoned_carts_linked_audience', true, 'valid',
                        'dest-webhook', 'webhook', 'send', ?, now())""",
                activation.activationId(), activation.audienceId(), json.writeValueAsString(Map.of("url", url, "secret", "s")));
        return activation;
    }

    /** A pending event, as the activation-events consumer would have stored it before the outage. */
    private void storePending(ActivationEvent event) throws Exception {
        execute("""
                insert into delivery_event (message_id, activation_id, audience_id, run_id, profile_id, trigger,
                                            event_name, destination, payload, status, next_attempt_at, created_at)
                values (?, ?, ?, ?, ?, ?, 'abandoned_carts_linked_audience', 'webhook', ?, 'pending', now(), now())""",
                event.messageId(), event.activationId(), event.audienceId(), event.runId(), event.profileId(),
                event.trigger(), json.writeValueAsString(event.message()));
    }

    /** Keeps the records whose stack trace passes through {@code where}. */
    private static Handler blockedIn(String where, List<LogRecord> kept) {
        return new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getThrown() != null && Arrays.stream(record.getThrown().getStackTrace())
                        .anyMatch(frame -> frame.getClassName().startsWith(where))) {
                    kept.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }
}
