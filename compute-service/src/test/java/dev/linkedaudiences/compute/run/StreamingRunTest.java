package dev.linkedaudiences.compute.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.compute.ComputeConfig;
import dev.linkedaudiences.contracts.definition.AudienceDefinition;
import dev.linkedaudiences.contracts.event.ActivationChanged;
import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.contracts.event.AudienceChanged;
import dev.linkedaudiences.testsupport.LocalInfrastructure;
import dev.linkedaudiences.testsupport.LocalPostgres;
import dev.linkedaudiences.testsupport.TopicRecords;
import dev.linkedaudiences.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streaming contract on 2,000 members, with pages of 100 and an in-flight window of 5 (each run's stream then
 * lasts a few seconds, waiting on Kafka's acknowledgements, long enough to be stopped in the middle): runs stopped in the
 * middle of their stream (canceled, the warehouse connection killed, an Error thrown by the executor) publish part
 * of the changes, and the run that finally succeeds publishes every change once more under the id it was first
 * published with, so destinations that deduplicate on message ids see each change once.
 */
@QuarkusTest
@TestProfile(StreamingRunTest.SmallPages.class)
@QuarkusTestResource(value = LocalInfrastructure.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "database", value = "compute_streaming_test"),
        @ResourceArg(name = "warehouse", value = "compute_streaming_warehouse"),
        @ResourceArg(name = "warehouseScript", value = "src/test/resources/streaming-warehouse.sql")})
@QuarkusTestResource(value = FakeAudienceService.class, restrictToAnnotatedClass = true)
class StreamingRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MEMBERS = 2000;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;
    @Inject
    ObjectMapper objectMapper;
    @Inject
    ComputeConfig config;

    /** Pages and a window far smaller than the run, the window smaller than a page. */
    public static class SmallPages implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("compute.page-size", "100", "compute.max-in-flight-events", "5");
        }
    }

    private static RequestSpecification as(String role) {
        return RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer " + Tokens.forRole(role));
    }

    /** An audience of every profile with an abandoned cart, and one enriched profile_entered activation. */
    private static String audienceWithActivation(String key) throws Exception {
        String audienceId = UUID.randomUUID().toString();
        AudienceDefinition definition = JSON.readValue("""
                {"operator": "and", "groups": [{"operator": "and", "conditions": [
                  {"type": "trait", "trait": "first_name", "op": "exists"},
                  {"type": "entity", "relationship": "user-accounts", "children": {"operator": "and", "conditions": [
                    {"type": "entity", "relationship": "shopping_cart"}]}}]}]}""", AudienceDefinition.class);
        TopicRecords.send("audience-definitions", audienceId, new AudienceChanged(audienceId, key, key, true, false, definition,
                Map.of("type", "manual"), RunFlowTest.sampleGraph(), Instant.now(), null));
        String activationId = UUID.randomUUID().toString();
        TopicRecords.send("activation-definitions", activationId, new ActivationChanged(activationId, audienceId, key, "profile_entered",
                "Cart Abandoned", null, new ActivationChanged.Enrichment(List.of("first_name"), null, List.of("user-accounts")),
                3, null, true, true, "valid", false, new ActivationChanged.Destination("d1", "webhook", "send", Map.of()), Instant.now(), null));
        await().atMost(Duration.ofSeconds(20)).until(() -> count("activation_state WHERE audience_id = '" + audienceId + "'") == 1);
        return audienceId;
    }

    private static long count(String fromWhere) throws Exception {
        try (Connection c = LocalPostgres.connect("compute_streaming_test"); Statement s = c.createStatement();
             var rows = s.executeQuery("SELECT COUNT(*) FROM " + fromWhere)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String runNow(String audienceId) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> as("engage_user").body(Map.of("audienceId", audienceId))
                .post("/api/v1/runs").then().extract(), r -> r.statusCode() == 202).path("id");
    }

    private static JsonPath awaitFinished(String runId) {
        return await().atMost(Duration.ofSeconds(90)).until(() -> as("read_only").get("/api/v1/runs/" + runId).then().statusCode(200)
                .extract().jsonPath(), run -> List.of("succeeded", "failed", "canceled").contains(run.getString("status")));
    }

    /** Waits until at least {@code atLeast} events of the run are on activation-events. */
    private static void awaitPublished(String runId, int atLeast) {
        String marker = "\"runId\":\"" + runId + "\"";
        List<TopicRecords.Record> read = TopicRecords.readUntil("activation-events",
                all -> all.stream().filter(r -> r.value().contains(marker)).count() >= atLeast, Duration.ofSeconds(60));
        assertTrue(read.stream().filter(r -> r.value().contains(marker)).count() >= atLeast, "the run published " + atLeast + " events");
    }

    /** Each profile's message ids over the runs, from activation-events. */
    private static Map<String, Set<String>> messageIdsByProfile(Set<String> runIds, int atLeast) {
        List<TopicRecords.Record> read = TopicRecords.readUntil("activation-events",
                all -> all.stream().filter(r -> runIds.stream().anyMatch(id -> r.value().contains(id))).count() >= atLeast,
                Duration.ofSeconds(30));
        Map<String, Set<String>> ids = new HashMap<>();
        read.stream().map(r -> TopicRecords.read(r, ActivationEvent.class)).filter(e -> runIds.contains(e.runId()))
                .forEach(e -> ids.computeIfAbsent(e.profileId(), p -> new HashSet<>()).add(e.messageId()));
        return ids;
    }

    /** How many events of the run are on activation-events. */
    private static int publishedBy(String runId) {
        String marker = "\"runId\":\"" + runId + "\"";
        return (int) TopicRecords.readUntil("activation-events", all -> false, Duration.ofSeconds(2)).stream()
                .filter(r -> r.value().contains(marker)).count();
    }

    /** Every member's change was published with one message id only, over the runs. */
    private static void assertOneIdPerChange(Set<String> runIds, int published) {
        Map<String, Set<String>> ids = messageIdsByProfile(runIds, published);
        assertEquals(MEMBERS, ids.size(), "every member entered");
        assertTrue(ids.values().stream().allMatch(profileIds -> profileIds.size() == 1),
                "one message id per change: " + ids.values().stream().filter(s -> s.size() > 1).limit(3).toList());
    }

    @Test
    void aRunStoppedMidStreamIsTakenOverUnderTheSameMessageIds() throws Exception {
        String audienceId = audienceWithActivation("stopped_mid_stream");

        String canceled = runNow(audienceId);
        awaitPublished(canceled, 300);
        as("engage_user").post("/api/v1/runs/" + canceled + "/cancel").then().statusCode(202);
        assertEquals("canceled", awaitFinished(canceled).getString("status"));

        String killed = runNow(audienceId);
        awaitPublished(killed, 300);
        try (Connection c = LocalPostgres.connect("compute_streaming_warehouse"); Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'compute_streaming_warehouse'"
                    + " AND pid <> pg_backend_pid() AND state <> 'idle'"); // the run's cursor, not the pool's idle connections
        }
        JsonPath failed = awaitFinished(killed);
        assertEquals("failed", failed.getString("status"), failed.prettify());

        String completed = runNow(audienceId);
        JsonPath succeeded = awaitFinished(completed);
        assertEquals("succeeded", succeeded.getString("status"), succeeded.prettify());
        assertEquals(MEMBERS, succeeded.getInt("changes.profilesEntered"));

        int canceledPublished = publishedBy(canceled);
        int killedPublished = publishedBy(killed);
        assertTrue(canceledPublished < MEMBERS && killedPublished < MEMBERS, "both runs stopped mid-stream: " + canceledPublished + ", " + killedPublished);
        assertOneIdPerChange(Set.of(canceled, killed, completed), MEMBERS + canceledPublished + killedPublished);
    }

    @Test
    void anErrorInTheExecutorFailsTheRunWithItsReasonAndTheNextRunKeepsTheIds() throws Exception {
        String audienceId = audienceWithActivation("error_mid_stream");
        AtomicInteger sent = new AtomicInteger();
        // the first run's executor gets a StackOverflowError after 500 events; later runs publish as usual
        QuarkusMock.installMockForType(new ActivationEventPublisher(kafka, objectMapper,
                ConfigProvider.getConfig().getOptionalValue("la.topic-prefix", String.class), config) {
            @Override
            public Publication start() {
                return new Publication() {
                    @Override
                    public void send(ActivationEvent event) {
                        if (sent.incrementAndGet() == 501) {
                            throw new StackOverflowError("thrown by the test after 500 events");
                        }
                        super.send(event);
                    }
                };
            }
        }, ActivationEventPublisher.class);
        String broken = runNow(audienceId);
        JsonPath failed = awaitFinished(broken);
        assertEquals("failed", failed.getString("status"), failed.prettify());
        assertTrue(failed.getString("error").contains("StackOverflowError"), failed.getString("error"));
        assertEquals(500, publishedBy(broken));

        String next = runNow(audienceId);
        JsonPath succeeded = awaitFinished(next);
        assertEquals("succeeded", succeeded.getString("status"), succeeded.prettify());
        assertOneIdPerChange(Set.of(broken, next), MEMBERS + 500);
    }
}
