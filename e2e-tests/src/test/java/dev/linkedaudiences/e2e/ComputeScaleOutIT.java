package dev.linkedaudiences.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.linkedaudiences.contracts.definition.AudienceDefinition;
import dev.linkedaudiences.contracts.event.ActivationChanged;
import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.contracts.event.AudienceChanged;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.graph.DataType;
import dev.linkedaudiences.testsupport.LocalKafka;
import dev.linkedaudiences.testsupport.LocalPostgres;
import dev.linkedaudiences.testsupport.Tokens;
import dev.linkedaudiences.testsupport.TopicRecords;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two compute-service processes on one database and one warehouse, with an installation-wide cap of two
 * concurrent runs: every run executes exactly once, each member's entry event is published exactly once, and
 * at no instant are more than two runs running, whichever instance claimed them. Then an instance is killed in the
 * middle of a run, and a fresh one finishes it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComputeScaleOutIT {
    private static final Path ROOT = Path.of(System.getProperty("la.repo.root", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    private static final int AUDIENCES = 8;
    private static final int CAP = 2;
    private static final List<ServiceProcess> instances = new ArrayList<>();
    private static String prefix;

    @BeforeAll
    static void startTwoInstances() {
        prefix = LocalKafka.createTopicsWithFreshPrefix();
        LocalPostgres.recreateDatabase("scale_compute");
        LocalPostgres.recreateDatabase("scale_warehouse");
        LocalPostgres.runScript("scale_warehouse", ROOT.resolve("samples/abandoned-carts/warehouse.sql"));
        LocalPostgres.runScript("scale_warehouse", ROOT.resolve("e2e-tests/src/test/resources/slow-traits.sql"));
        for (int i = 0; i < 2; i++) {
            instances.add(ServiceProcess.start(ROOT, "compute-service", ServiceProcess.serviceConfig("scale_compute", "scale_warehouse", prefix,
                    instanceConfig())));
        }
        instances.forEach(instance -> instance.awaitReady(Duration.ofSeconds(90)));
    }

    /** The cap, and a dead instance's run taken back after 5 s without heartbeat (1 s apart). */
    private static Map<String, String> instanceConfig() {
        return Map.of("compute.max-concurrent-runs", String.valueOf(CAP), "compute.abandoned-after", "PT5S",
                "compute.heartbeat-interval", "1s");
    }

    @AfterAll
    static void stop() {
        instances.forEach(ServiceProcess::close);
    }

    /** The sample audience on the slow graph, with a profile_entered activation. */
    private static String announceAudience(String key) throws Exception {
        String audienceId = UUID.randomUUID().toString();
        TopicRecords.send(prefix + "audience-definitions", audienceId, new AudienceChanged(audienceId, key, key,
                true, false, sampleDefinition(), Map.of("type", "manual"), slowGraph(), Instant.now(), null));
        TopicRecords.send(prefix + "activation-definitions", audienceId, new ActivationChanged(UUID.randomUUID().toString(), audienceId,
                key, "profile_entered", "Audience Entered", null, new ActivationChanged.Enrichment(List.of()), true, true,
                "valid", false, new ActivationChanged.Destination("d1", "iterable", "trackEvent", Map.of()), Instant.now()));
        return audienceId;
    }

    @Test
    @Order(1)
    void everyRunExecutesOnceAndTheCapHoldsAcrossInstances() throws Exception {
        List<String> audienceIds = new ArrayList<>();
        for (int i = 0; i < AUDIENCES; i++) {
            audienceIds.add(announceAudience("scale_" + i));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM activation_state") == AUDIENCES
                && count("SELECT count(*) FROM audience_state") == AUDIENCES);

        for (int i = 0; i < AUDIENCES; i++) { // requests alternate between the instances
            given(instances.get(i % 2)).body(Map.of("audienceId", audienceIds.get(i))).post("/api/v1/runs").then().statusCode(202);
        }
        await().atMost(Duration.ofSeconds(180)).until(() -> count("SELECT count(*) FROM run WHERE finished_at IS NOT NULL") == AUDIENCES);

        List<Interval> runs = new ArrayList<>();
        Map<String, Integer> perInstance = new TreeMap<>();
        try (Connection c = LocalPostgres.connect("scale_compute"); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT status, attempts, executed_by, started_at, finished_at FROM run")) {
            while (rows.next()) {
                assertEquals("succeeded", rows.getString(1));
                assertEquals(1, rows.getInt(2), "claimed once");
                perInstance.merge(rows.getString(3), 1, Integer::sum);
                runs.add(new Interval(rows.getTimestamp(4).toInstant(), rows.getTimestamp(5).toInstant()));
            }
        }
        assertEquals(AUDIENCES, runs.size());
        int most = mostAtOnce(runs);
        System.out.printf("compute scale-out: %d runs, at most %d at once (cap %d), per instance %s%n", runs.size(), most, CAP, perInstance);
        assertTrue(most <= CAP, "at most " + CAP + " runs at once across both instances, saw " + most);

        // The sample audience has two members: one entry event each, per audience, and nothing twice.
        // Runs publish before they succeed, so every event is on the topic: read it all (for 5 s, to see any extra).
        List<ActivationEvent> events = TopicRecords.readUntil(prefix + "activation-events", all -> all.size() > 2 * AUDIENCES, Duration.ofSeconds(5))
                .stream().map(r -> TopicRecords.read(r, ActivationEvent.class)).toList();
        assertEquals(2 * AUDIENCES, events.size());
        Set<String> pairs = events.stream().map(e -> e.audienceId() + "/" + e.profileId()).collect(Collectors.toSet());
        assertEquals(2 * AUDIENCES, pairs.size(), "each (audience, member) once");
        assertEquals(AUDIENCES, events.stream().map(ActivationEvent::runId).distinct().count());
    }

    @Test
    @Order(2)
    void aRunWhoseInstanceIsKilledIsFinishedByAFreshOneAndEachMemberEntersOnce() throws Exception {
        instances.remove(1).close(); // one instance left: it claims the run
        try (Connection c = LocalPostgres.connect("scale_warehouse"); Statement s = c.createStatement()) {
            // 1.5 s per profile read: the run is inside its warehouse query for several seconds
            s.execute("CREATE OR REPLACE FUNCTION segment_profiles.slow_row() RETURNS boolean LANGUAGE sql VOLATILE AS"
                    + " $$ SELECT pg_sleep(1.5); SELECT true $$");
        }
        String audienceId = announceAudience("crash");
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM audience_state WHERE id = '" + audienceId + "'") == 1
                && count("SELECT count(*) FROM activation_state WHERE audience_id = '" + audienceId + "'") == 1);
        String runId = given(instances.get(0)).body(Map.of("audienceId", audienceId)).post("/api/v1/runs").then().statusCode(202)
                .extract().path("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT count(*) FROM run WHERE id = '" + runId + "' AND status = 'running'") == 1);
        Thread.sleep(2000); // well inside the query
        instances.remove(0).kill();

        ServiceProcess fresh = ServiceProcess.start(ROOT, "compute-service", ServiceProcess.serviceConfig("scale_compute", "scale_warehouse", prefix,
                instanceConfig()));
        instances.add(fresh);
        fresh.awaitReady(Duration.ofSeconds(90));
        JsonPath run = await().atMost(Duration.ofSeconds(120)).until(() -> given(fresh).get("/api/v1/runs/" + runId).then().extract().jsonPath(),
                r -> List.of("succeeded", "failed").contains(r.getString("status")));
        assertEquals("succeeded", run.getString("status"), run.prettify());
        assertEquals(2, run.getInt("attempts"), "claimed by the killed instance, then by the fresh one");

        List<ActivationEvent> events = TopicRecords.readUntil(prefix + "activation-events",
                        all -> all.stream().map(r -> TopicRecords.read(r, ActivationEvent.class)).filter(e -> e.audienceId().equals(audienceId)).count() > 2,
                        Duration.ofSeconds(5))
                .stream().map(r -> TopicRecords.read(r, ActivationEvent.class)).filter(e -> e.audienceId().equals(audienceId)).toList();
        // an event the killed instance had published would come again with the same messageId, never as a second event
        Map<String, Set<String>> messageIdsByProfile = events.stream().collect(Collectors.groupingBy(ActivationEvent::profileId,
                Collectors.mapping(ActivationEvent::messageId, Collectors.toSet())));
        assertEquals(2, messageIdsByProfile.size(), "both members entered");
        messageIdsByProfile.forEach((profile, ids) -> assertEquals(1, ids.size(), profile + " entered once"));
    }

    private record Interval(Instant start, Instant end) {
    }

    /** The largest number of intervals that overlap at one instant. */
    private static int mostAtOnce(List<Interval> intervals) {
        int most = 0;
        for (Interval at : intervals) {
            int overlapping = (int) intervals.stream().filter(i -> !i.start().isAfter(at.start()) && i.end().isAfter(at.start())).count();
            most = Math.max(most, overlapping);
        }
        return most;
    }

    private static io.restassured.specification.RequestSpecification given(ServiceProcess instance) {
        return RestAssured.given().baseUri(instance.baseUrl()).contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + Tokens.forRole("engage_user"));
    }

    private static long count(String sql) throws Exception {
        try (Connection c = LocalPostgres.connect("scale_compute"); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static AudienceDefinition sampleDefinition() throws Exception {
        return JSON.treeToValue(JSON.readTree(ROOT.resolve("samples/abandoned-carts/audience.json").toFile()).get("definition"),
                AudienceDefinition.class);
    }

    /** The sample graph, reading traits through a view that takes 0.3 s per row: runs last long enough to overlap. */
    private static DataGraph slowGraph() throws Exception {
        ObjectNode graph = (ObjectNode) JSON.readTree(ROOT.resolve("samples/abandoned-carts/data-graph.json").toFile());
        ((ObjectNode) graph.get("profile")).put("traitsTable", "profile_traits_slow");
        return JSON.treeToValue(graph, DataGraph.class).withCatalog(Map.of(
                "segment_profiles.profile_traits_slow", Map.of("canonical_segment_id", DataType.STRING, "first_name", DataType.STRING,
                        "last_name", DataType.STRING, "plan", DataType.STRING, "merged_to", DataType.STRING),
                "prod.accounts", Map.of("id", DataType.STRING, "email", DataType.STRING, "status", DataType.STRING),
                "prod.carts", Map.of("id", DataType.STRING, "account_id", DataType.STRING, "status", DataType.STRING),
                "prod.product_skus", Map.of("sku", DataType.STRING)));
    }
}
