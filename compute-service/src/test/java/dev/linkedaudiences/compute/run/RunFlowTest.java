package dev.linkedaudiences.compute.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.linkedaudiences.contracts.definition.AudienceDefinition;
import dev.linkedaudiences.contracts.event.ActivationChanged;
import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.contracts.event.AudienceChanged;
import dev.linkedaudiences.contracts.event.GuardRail;
import dev.linkedaudiences.contracts.event.RunCompleted;
import dev.linkedaudiences.contracts.event.RunRequested;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.graph.DataType;
import dev.linkedaudiences.testsupport.LocalInfrastructure;
import dev.linkedaudiences.testsupport.LocalPostgres;
import dev.linkedaudiences.testsupport.Tokens;
import dev.linkedaudiences.testsupport.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.admin.Admin;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs of the sample audience through the real broker and the sample warehouse: definitions arrive on Kafka
 * as audience-service would send them; events and results are read back from Kafka.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfrastructure.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "database", value = "compute_test"),
        @ResourceArg(name = "warehouse", value = "compute_test_warehouse"),
        @ResourceArg(name = "warehouseScript", value = "../samples/abandoned-carts/warehouse.sql")})
@QuarkusTestResource(value = FakeAudienceService.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunFlowTest {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    private static final String AUDIENCE = UUID.randomUUID().toString();
    private static final String ENTERED = UUID.randomUUID().toString();
    private static final String EXITED = UUID.randomUUID().toString();

    static RequestSpecification as(String role) {
        return RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer " + Tokens.forRole(role));
    }

    static DataGraph sampleGraph() throws Exception {
        Map<String, Map<String, DataType>> catalog = Map.of(
                "segment_profiles.profile_traits", Map.of("canonical_segment_id", DataType.STRING, "first_name", DataType.STRING,
                        "last_name", DataType.STRING, "plan", DataType.STRING, "merged_to", DataType.STRING),
                "prod.accounts", Map.of("id", DataType.STRING, "email", DataType.STRING, "status", DataType.STRING),
                "prod.carts", Map.of("id", DataType.STRING, "account_id", DataType.STRING, "status", DataType.STRING),
                "prod.product_skus", Map.of("sku", DataType.STRING),
                "segment_profiles.order_completed", Map.of("segment_id", DataType.STRING, "timestamp", DataType.TIMESTAMP, "total", DataType.NUMBER));
        return JSON.readValue(Path.of("../samples/abandoned-carts/data-graph.json").toFile(), DataGraph.class).withCatalog(catalog);
    }

    static AudienceDefinition sampleDefinition() throws Exception {
        return JSON.treeToValue(JSON.readTree(Path.of("../samples/abandoned-carts/audience.json").toFile()).get("definition"),
                AudienceDefinition.class);
    }

    static void announce(String audienceId, String key, AudienceDefinition definition) throws Exception {
        announce(audienceId, key, definition, Map.of("type", "manual"));
    }

    private static void announce(String audienceId, String key, AudienceDefinition definition, Map<String, Object> schedule) throws Exception {
        TopicRecords.send("audience-definitions", audienceId, new AudienceChanged(audienceId, key, key, true, false,
                definition, schedule, sampleGraph(), Instant.now(), null));
    }

    private static Instant nextRunAt(String audienceId) throws Exception {
        try (Connection c = LocalPostgres.connect("compute_test"); Statement s = c.createStatement();
             var rows = s.executeQuery("SELECT next_run_at FROM audience_state WHERE id = '" + audienceId + "'")) {
            return rows.next() && rows.getTimestamp(1) != null ? rows.getTimestamp(1).toInstant() : null;
        }
    }

    private static void activation(String id, String trigger) {
        activation(id, AUDIENCE, trigger, trigger.equals("profile_entered") ? "Cart Abandoned" : "Cart Recovered", null);
    }

    static void activation(String id, String audienceId, String trigger, String eventName, String relationship) {
        activation(id, audienceId, trigger, eventName, relationship, new ActivationChanged.Enrichment(List.of("first_name", "last_name")),
                null, null);
    }

    private static void activation(String id, String audienceId, String trigger, String eventName, String relationship,
                                   ActivationChanged.Enrichment enrichment, Integer maxEntitiesPerLevel, String identifiers) {
        activation(id, audienceId, trigger, eventName, relationship, enrichment, maxEntitiesPerLevel, identifiers, null);
    }

    private static void activation(String id, String audienceId, String trigger, String eventName, String relationship,
                                   ActivationChanged.Enrichment enrichment, Integer maxEntitiesPerLevel, String identifiers,
                                   GuardRail guardRail) {
        TopicRecords.send("activation-definitions", id, new ActivationChanged(id, audienceId, "abandoned_carts", trigger,
                eventName, relationship, enrichment, maxEntitiesPerLevel, identifiers, true, true, "valid", false,
                new ActivationChanged.Destination("d1", "iterable", "trackEvent", Map.of("apiKey", "k")), Instant.now(), guardRail));
    }

    /** Run Now, once the audience's announcement has arrived; answers the run's final state. */
    static JsonPath runNow(String audienceId) {
        String runId = await().atMost(Duration.ofSeconds(30)).until(() -> as("engage_user").body(Map.of("audienceId", audienceId))
                .post("/api/v1/runs").then().extract(), r -> r.statusCode() == 202).path("id");
        return awaitFinished(runId);
    }

    private static JsonPath awaitFinished(String runId) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> as("read_only").get("/api/v1/runs/" + runId).then().statusCode(200)
                .extract().jsonPath(), run -> List.of("succeeded", "failed", "canceled").contains(run.getString("status")));
    }

    static List<ActivationEvent> eventsOf(String runId, int expected) {
        return TopicRecords.readUntil("activation-events",
                        all -> all.stream().map(r -> TopicRecords.read(r, ActivationEvent.class)).filter(e -> e.runId().equals(runId)).count() >= expected,
                        Duration.ofSeconds(expected == 0 ? 3 : 20))
                .stream().map(r -> TopicRecords.read(r, ActivationEvent.class)).filter(e -> e.runId().equals(runId)).toList();
    }

    @Test
    @Order(1)
    void theFirstRunEmitsAnEntryForEveryMember() throws Exception {
        announce(AUDIENCE, "abandoned_carts", sampleDefinition());
        activation(ENTERED, "profile_entered");
        activation(EXITED, "profile_exited");
        await().atMost(Duration.ofSeconds(20)).until(() -> countWhere("activation_state", "audience_id = '" + AUDIENCE + "'") == 2);
        JsonPath run = runNow(AUDIENCE);
        assertEquals("succeeded", run.getString("status"), run.prettify());
        assertEquals(2, run.getInt("audienceSize"));
        assertEquals(2, run.getInt("changes.profilesEntered"));
        assertEquals("manual", run.getString("trigger"));
        assertTrue(run.getLong("steps.queueing") >= 0 && run.getLong("steps.extractingFromWarehouse") >= 0);

        List<ActivationEvent> events = eventsOf(run.getString("id"), 2);
        assertEquals(2, events.size());
        ActivationEvent andrew = events.stream().filter(e -> e.profileId().equals("p_andrew")).findFirst().orElseThrow();
        assertEquals(ENTERED, andrew.activationId());
        Map<String, Object> message = andrew.message();
        assertEquals("track", message.get("type"));
        assertEquals("Cart Abandoned", message.get("event"));
        assertEquals("u123", message.get("userId"));
        assertEquals(26, ((String) message.get("messageId")).length());
        assertEquals(run.getString("startedAt").substring(0, 19), ((String) message.get("timestamp")).substring(0, 19));
        @SuppressWarnings("unchecked") Map<String, Object> context = (Map<String, Object>) message.get("context");
        assertEquals(Map.of("email", "andrew@example.com"), context.get("traits"));
        @SuppressWarnings("unchecked") Map<String, Object> personas = (Map<String, Object>) context.get("personas");
        assertEquals(AUDIENCE, personas.get("computation_id"));
        assertEquals("abandoned_carts", personas.get("computation_key"));
        assertEquals(ENTERED, personas.get("event_emitter_id"));
        assertEquals(Map.of("audience_key", "abandoned_carts", "first_name", "Andrew", "last_name", "Shopper"), message.get("properties"));
        assertTrue(events.stream().allMatch(e -> e.partitionKey().equals(ENTERED + ":" + e.profileId())));
    }

    @Test
    @Order(2)
    void membersAndTheirMatchedEntitiesAreListed() {
        String cursor = as("read_only").get("/api/v1/memberships?audienceId=" + AUDIENCE + "&limit=1").then().statusCode(200)
                .body("items.profileId", equalTo(List.of("p_andrew"))).extract().path("nextCursor");
        as("read_only").get("/api/v1/memberships?audienceId=" + AUDIENCE + "&limit=1&cursor=" + cursor).then().statusCode(200)
                .body("items.profileId", equalTo(List.of("p_eve"))).body("nextCursor", equalTo(null));
        as("read_only").get("/api/v1/memberships/" + AUDIENCE + "/profiles/p_andrew").then().statusCode(200)
                .body("matchedEntities.relationship", equalTo(List.of("user-accounts")))
                .body("matchedEntities[0].key", equalTo("a1"))
                .body("matchedEntities[0].entity", equalTo("account"))
                .body("matchedEntities[0].children[0].key", equalTo("123"))
                .body("matchedEntities[0].children[0].children.key", equalTo(List.of("324", "489")));
        as("read_only").get("/api/v1/memberships/" + AUDIENCE + "/profiles/p_beth").then().statusCode(404)
                .contentType("application/problem+json");
        as("read_only").get("/api/v1/memberships").then().statusCode(400).body("errors[0].pointer", equalTo("/audienceId"));
        RestAssured.given().get("/api/v1/memberships?audienceId=" + AUDIENCE).then().statusCode(401);
    }

    @Test
    @Order(2)
    void aPreviewCountsSamplesAndShowsMatchedEntitiesWithoutTouchingSnapshots() throws Exception {
        String definition = JSON.writeValueAsString(sampleDefinition());
        as("read_only").body("{\"definition\":" + definition + ",\"relationship\":\"products\",\"sampleSize\":1}")
                .post("/api/v1/previews").then().log().ifValidationFails().statusCode(200)
                .body("profileCount", equalTo(2)).body("sampleProfiles", equalTo(List.of("p_andrew")))
                .body("matchedEntityCount", equalTo(3))
                .body("matchedEntitySample.key", equalTo(List.of("324", "489", "512")));
        as("read_only").body("{\"definition\":{\"operator\":\"and\",\"groups\":[{\"operator\":\"and\",\"conditions\":"
                        + "[{\"type\":\"event\",\"event\":\"Order Completed\",\"within\":{\"amount\":7,\"unit\":\"days\"}}]}]}}")
                .post("/api/v1/previews").then().statusCode(200)
                .body("profileCount", equalTo(2)).body("sampleProfiles", equalTo(List.of("p_andrew", "p_beth")));
        as("read_only").body("{\"definition\":{\"operator\":\"and\",\"groups\":[{\"operator\":\"and\",\"conditions\":"
                        + "[{\"type\":\"trait\",\"trait\":\"shoe_size\",\"op\":\"exists\"}]}]},\"relationship\":\"nowhere\",\"sampleSize\":5000}")
                .post("/api/v1/previews").then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItem("/sampleSize"));
        as("read_only").body("{\"definition\":{\"operator\":\"and\",\"groups\":[{\"operator\":\"and\",\"conditions\":"
                        + "[{\"type\":\"trait\",\"trait\":\"shoe_size\",\"op\":\"exists\"}]}]},\"relationship\":\"nowhere\"}")
                .post("/api/v1/previews").then().statusCode(400)
                .body("errors.pointer", hasItem("/definition/groups/0/conditions/0/trait")).body("errors.pointer", hasItem("/relationship"));
        as("read_only").get("/api/v1/memberships?audienceId=" + AUDIENCE).then().body("items.size()", equalTo(2));
        RestAssured.given().contentType(ContentType.JSON).body("{}").post("/api/v1/previews").then().statusCode(401);
    }

    @Test
    void aPreviewListsEveryProblemOfItsRequestAndNeverFailsOnMissingParts() {
        String body = """
                {"sampleSize": -1, "relationship": "products", "definition": {"groups": [null, {"operator": "and", "conditions": [null,
                  {"type": "entity", "relationship": "user-accounts", "count": {"op": "exactly", "value": 0},
                   "where": {"filters": [null]}},
                  {"type": "event", "event": "Order Completed", "within": {"amount": 1}, "where": {"operator": "and", "filters": [
                    {"property": "total", "op": "greater_than", "value": {"const": "ten"}}]}}]}]}}""";
        String c = "/definition/groups/1/conditions/";
        as("read_only").body(body).post("/api/v1/previews").then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", containsInAnyOrder("/sampleSize", "/relationship", "/definition/operator", "/definition/groups/0",
                        c + "0", c + "1/count", c + "1/where/operator", c + "1/where/filters/0", c + "2/within", c + "2/where/filters/0/value"));
        as("read_only").body("{\"relationship\": \"products\"}").post("/api/v1/previews").then().statusCode(400)
                .body("errors.pointer", containsInAnyOrder("/definition", "/relationship"));
    }

    @Test
    void suggestionsComeFromTheWarehouse() {
        as("read_only").get("/api/v1/suggestions?relationship=shopping_cart&column=status").then().statusCode(200)
                .body("values.value", equalTo(List.of("abandoned", "checked_out")));
        as("read_only").get("/api/v1/suggestions?trait=plan").then().statusCode(200)
                .body("values.value", equalTo(List.of("free", "premium"))).body("values.count", equalTo(List.of(2, 2)));
        as("read_only").get("/api/v1/suggestions?event=Order Completed&property=segment_id").then().statusCode(200)
                .body("values[0].value", equalTo("anon_7f3"));
        as("read_only").get("/api/v1/suggestions?relationship=shopping_cart&column=abandoned_at").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].pointer", equalTo("/column"));
        as("read_only").get("/api/v1/suggestions").then().statusCode(400);
    }

    @Test
    @Order(2)
    void aRunWithoutChangesEmitsNothing() {
        JsonPath run = runNow(AUDIENCE);
        assertEquals("succeeded", run.getString("status"));
        assertEquals(0, run.getInt("changes.profilesEntered"));
        assertEquals(0, run.getInt("changes.profilesExited"));
        assertNull(run.get("steps.preparingToDeliverEvents"), "a run that changed nothing has no later step durations");
        assertEquals(0, eventsOf(run.getString("id"), 0).size());
    }

    @Test
    @Order(3)
    void aProfileThatLeavesGetsOneExitEvent() throws Exception {
        try (Connection c = LocalPostgres.connect("compute_test_warehouse"); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE prod.carts SET status = 'checked_out' WHERE id = '123'");
        }
        JsonPath run = runNow(AUDIENCE);
        assertEquals(1, run.getInt("audienceSize"));
        assertEquals(1, run.getInt("changes.profilesExited"));
        List<ActivationEvent> events = eventsOf(run.getString("id"), 1);
        assertEquals(1, events.size());
        assertEquals("p_andrew", events.get(0).profileId());
        assertEquals(EXITED, events.get(0).activationId());
        assertEquals("Cart Recovered", events.get(0).message().get("event"));

        List<RunCompleted> results = TopicRecords.readUntil("run-results", all -> all.size() >= 3, Duration.ofSeconds(20))
                .stream().map(r -> TopicRecords.read(r, RunCompleted.class)).filter(r -> r.audienceId().equals(AUDIENCE)).toList();
        assertTrue(results.stream().anyMatch(r -> r.runId().equals(run.getString("id")) && r.audienceSize() == 1 && r.profilesExited() == 1));
        as("read_only").get("/api/v1/runs?audienceId=" + AUDIENCE).then().statusCode(200)
                .body("size()", equalTo(3)).body("[0].id", equalTo(run.getString("id")));
    }

    @Test
    @Order(4)
    void whileARunIsInFlightAnotherRequestGetsThatRun() throws Exception {
        try (Connection c = LocalPostgres.connect("compute_test_warehouse"); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("LOCK TABLE prod.carts IN ACCESS EXCLUSIVE MODE"); // the run's query waits for this transaction
            String first = as("engage_user").body(Map.of("audienceId", AUDIENCE)).post("/api/v1/runs").then().statusCode(202).extract().path("id");
            await().atMost(Duration.ofSeconds(10)).until(() -> "running".equals(as("read_only").get("/api/v1/runs/" + first).path("status")));
            as("engage_user").body(Map.of("audienceId", AUDIENCE)).post("/api/v1/runs").then().statusCode(202).body("id", equalTo(first));
            c.rollback();
            assertEquals("succeeded", awaitFinished(first).getString("status"));
        }
    }

    @Test
    @Order(5)
    void aReferenceToAnAudienceThatNeverRanFailsTheRunWithAReason() throws Exception {
        String neverRun = UUID.randomUUID().toString();
        String referring = UUID.randomUUID().toString();
        announce(neverRun, "never_run", sampleDefinition());
        announce(referring, "referring", JSON.readValue("{\"operator\":\"and\",\"groups\":[{\"operator\":\"and\",\"conditions\":"
                + "[{\"type\":\"audience\",\"audience\":\"never_run\"}]}]}", AudienceDefinition.class));
        JsonPath run = runNow(referring);
        assertEquals("failed", run.getString("status"));
        assertEquals("referenced audience 'never_run' has never run successfully; run it first", run.getString("error"));
    }

    @Test
    @Order(6)
    void aCanceledRunEndsCanceledAndTheNextRunEmitsItsChanges() throws Exception {
        try (Connection c = LocalPostgres.connect("compute_test_warehouse"); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE prod.carts SET status = 'abandoned' WHERE id = '123'"); // Andrew is back
            c.setAutoCommit(false);
            s.execute("LOCK TABLE prod.carts IN ACCESS EXCLUSIVE MODE"); // holds the run inside its query
            String canceled = as("engage_user").body(Map.of("audienceId", AUDIENCE)).post("/api/v1/runs").then().statusCode(202).extract().path("id");
            await().atMost(Duration.ofSeconds(10)).until(() -> "running".equals(as("read_only").get("/api/v1/runs/" + canceled).path("status")));
            as("read_only").post("/api/v1/runs/" + canceled + "/cancel").then().statusCode(403);
            as("engage_user").post("/api/v1/runs/" + canceled + "/cancel").then().statusCode(202).body("status", equalTo("running"));
            c.rollback();
            assertEquals("canceled", awaitFinished(canceled).getString("status"));
            assertEquals(0, eventsOf(canceled, 0).size(), "a canceled run publishes nothing");
            as("engage_user").post("/api/v1/runs/" + canceled + "/cancel").then().statusCode(409);
        }
        JsonPath next = runNow(AUDIENCE);
        assertEquals(1, next.getInt("changes.profilesEntered"), "the canceled run left the baseline as it was");
        assertEquals(1, eventsOf(next.getString("id"), 1).size());
        as("engage_user").post("/api/v1/runs/" + UUID.randomUUID() + "/cancel").then().statusCode(404);
    }

    @Test
    @Order(7)
    void aRunLeftRunningByADeadInstanceIsResumedWithItsStartSoItsEventsKeepTheirIds() throws Exception {
        try (Connection c = LocalPostgres.connect("compute_test_warehouse"); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE prod.carts SET status = 'checked_out' WHERE id = '123'"); // Andrew leaves again
        }
        String orphan = UUID.randomUUID().toString();
        Instant started = Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        try (Connection c = LocalPostgres.connect("compute_test"); Statement s = c.createStatement()) {
            // what a killed instance leaves behind: running since `started`, with a heartbeat that stopped then
            s.executeUpdate("INSERT INTO run (id, audience_id, status, trigger, queued_at, started_at, heartbeat_at, attempts, executed_by)"
                    + " VALUES ('" + orphan + "', '" + AUDIENCE + "', 'running', 'manual', TIMESTAMPTZ '" + started + "',"
                    + " TIMESTAMPTZ '" + started + "', TIMESTAMPTZ '" + started + "', 1, 'dead-instance')");
        }
        JsonPath run = awaitFinished(orphan);
        assertEquals("succeeded", run.getString("status"));
        assertEquals(2, run.getInt("attempts"));
        assertEquals(started, Instant.parse(run.getString("startedAt")), "resumed, not restarted");
        List<ActivationEvent> exits = eventsOf(orphan, 1);
        assertEquals(1, exits.size());
        assertEquals(started.toString(), exits.get(0).message().get("timestamp"));
        assertEquals(dev.linkedaudiences.compute.message.MessageIds.of(started, EXITED, "profile_exited", "p_andrew", null, orphan),
                exits.get(0).messageId(), "the id the dead instance would have given the same event");
    }

    @Test
    @Order(8)
    void aDueScheduleQueuesOneRunAndMovesToTheNextUtcBoundary() throws Exception {
        String scheduled = UUID.randomUUID().toString();
        announce(scheduled, "every_quarter_hour", sampleDefinition(), Map.of("type", "interval", "every", "PT15M"));
        Instant first = await().atMost(Duration.ofSeconds(20)).until(() -> nextRunAt(scheduled), java.util.Objects::nonNull);
        assertEquals(0, first.getEpochSecond() % 900, "anchored to a UTC quarter hour");
        assertTrue(first.isAfter(Instant.now()));

        try (Connection c = LocalPostgres.connect("compute_test"); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE audience_state SET next_run_at = now() - interval '1 minute' WHERE id = '" + scheduled + "'");
        }
        JsonPath run = await().atMost(Duration.ofSeconds(30)).until(() -> as("read_only").get("/api/v1/runs?audienceId=" + scheduled)
                .then().statusCode(200).extract().jsonPath(), runs -> runs.getList("$").size() == 1).setRootPath("[0]");
        assertEquals("schedule", run.getString("trigger"));
        assertEquals("succeeded", awaitFinished(run.getString("id")).getString("status"));
        Instant next = nextRunAt(scheduled);
        assertTrue(next.isAfter(Instant.now()) && next.getEpochSecond() % 900 == 0);
        assertEquals(1, as("read_only").get("/api/v1/runs?audienceId=" + scheduled).then().extract().jsonPath().getList("$").size(),
                "one fire, one run");
    }

    @Test
    @Order(9)
    @SuppressWarnings("unchecked")
    void entityTriggersCarryTheEntityAndItsMatchedChildren() throws Exception {
        String audienceId = UUID.randomUUID().toString();
        String added = UUID.randomUUID().toString();
        String removed = UUID.randomUUID().toString();
        announce(audienceId, "carts_by_entity", sampleDefinition());
        activation(added, audienceId, "entity_entered", "abandoned_carts_linked_audience", "shopping_cart");
        activation(removed, audienceId, "entity_exited", "Entity Removed", "shopping_cart");
        await().atMost(Duration.ofSeconds(20)).until(() -> countWhere("activation_state", "audience_id = '" + audienceId + "'") == 2);

        JsonPath run = runNow(audienceId);
        List<ActivationEvent> events = eventsOf(run.getString("id"), 1);
        assertEquals(1, events.size(), "Andrew checked out earlier: only Eve's cart matches");
        Map<String, Object> properties = (Map<String, Object>) events.get(0).message().get("properties");
        assertEquals("127", properties.get("shopping_cart__id"));
        assertEquals("abandoned", properties.get("shopping_cart__status"));
        assertEquals("2026-11-23T11:00:00Z", properties.get("shopping_cart__abandoned_at"));
        assertEquals(List.of(Map.of("sku", "512", "product_name", "Running Socks", "product_price", "$12", "__entity", "product")),
                properties.get("shopping_cart__products"), "a product behind two junction rows appears once");
        assertEquals("cart", properties.get("__entity"));
        assertEquals("Eve", properties.get("first_name"));

        try (Connection c = LocalPostgres.connect("compute_test_warehouse"); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE prod.carts SET status = 'checked_out' WHERE id = '127'");
        }
        JsonPath second = runNow(audienceId);
        List<ActivationEvent> exits = eventsOf(second.getString("id"), 1);
        assertEquals(1, exits.size());
        assertEquals(removed, exits.get(0).activationId());
        Map<String, Object> exitProperties = (Map<String, Object>) exits.get(0).message().get("properties");
        assertEquals("checked_out", exitProperties.get("shopping_cart__status"), "the entity as the warehouse has it now");
        assertEquals(1, ((List<Object>) exitProperties.get("shopping_cart__products")).size(), "its children as they were matched");
        assertEquals(0, stagedContextTables(), "the entity context a run staged is dropped when it ends");
    }

    /** The tables in which runs staged entity contexts (EntityContext#stage) that are still there. */
    private static long stagedContextTables() throws Exception {
        try (Connection c = LocalPostgres.connect("compute_test_warehouse"); Statement s = c.createStatement();
             var rows = s.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'ctx\\_%'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    @Order(10)
    @SuppressWarnings("unchecked")
    void membershipChangedSendsIdentifyMessagesWithTheAudienceKeyAsATrait() throws Exception {
        String audienceId = UUID.randomUUID().toString();
        String identify = UUID.randomUUID().toString();
        announce(audienceId, "carts_identify", sampleDefinition());
        activation(identify, audienceId, "membership_changed", "identify", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> countWhere("activation_state", "id = '" + identify + "'") == 1);
        try (Connection c = LocalPostgres.connect("compute_test_warehouse"); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE prod.carts SET status = 'abandoned' WHERE id = '127'"); // Eve is a member again
        }
        List<ActivationEvent> joined = eventsOf(runNow(audienceId).getString("id"), 1);
        assertEquals(1, joined.size());
        Map<String, Object> message = joined.get(0).message();
        assertEquals("identify", message.get("type"));
        assertEquals("u456", message.get("userId"));
        assertEquals(Map.of("carts_identify", true, "first_name", "Eve", "last_name", "Browser"), message.get("traits"));
        assertNull(message.get("event"));
        assertEquals("eve@example.com", ((Map<String, Object>) message.get("context")).get("traits") instanceof Map<?, ?> t ? t.get("email") : null);

        try (Connection c = LocalPostgres.connect("compute_test_warehouse"); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE prod.carts SET status = 'checked_out' WHERE id = '127'");
        }
        List<ActivationEvent> left = eventsOf(runNow(audienceId).getString("id"), 1);
        assertEquals(1, left.size());
        assertEquals(false, ((Map<String, Object>) left.get(0).message().get("traits")).get("carts_identify"));
    }

    @Test
    @Order(10)
    void aRequestedRunWaitsForTheActivationsItsRequestNames() throws Exception {
        String audienceId = UUID.randomUUID().toString();
        String late = UUID.randomUUID().toString();
        announce(audienceId, "late_activation", JSON.readValue("""
                {"operator": "and", "groups": [{"operator": "and", "conditions": [
                  {"type": "trait", "trait": "first_name", "op": "exists"}]}]}""", AudienceDefinition.class));
        await().atMost(Duration.ofSeconds(20)).until(() -> countWhere("audience_state", "id = '" + audienceId + "'") == 1);
        // as after a restart, when activation-definitions reaches the instance after run-requests
        TopicRecords.send("run-requests", audienceId, new RunRequested(audienceId, "enable", Instant.now(),
                Map.of(late, Instant.now().truncatedTo(ChronoUnit.MICROS))));
        String runId = await().atMost(Duration.ofSeconds(20)).until(() -> as("read_only").get("/api/v1/runs?audienceId=" + audienceId)
                .then().statusCode(200).extract().jsonPath().getList("id", String.class), ids -> !ids.isEmpty()).get(0);
        Thread.sleep(3000);
        assertEquals("queued", as("read_only").get("/api/v1/runs/" + runId).then().extract().path("status"), "it waits");
        activation(late, audienceId, "profile_entered", "Cart Abandoned", null);
        JsonPath run = awaitFinished(runId);
        assertEquals("succeeded", run.getString("status"), run.prettify());
        int members = run.getInt("audienceSize");
        assertTrue(members > 0);
        assertEquals(java.util.Collections.nCopies(members, late), eventsOf(runId, members).stream().map(ActivationEvent::activationId).toList(),
                "the activation that arrived late backfilled every member");
    }

    @Test
    @Order(11)
    void anActivationsMessageForOneProfileIsBuiltOnDemandForTestEvents() {
        JsonPath built = as("engage_user").body(Map.of("activationId", ENTERED, "profileId", "p_eve")).post("/api/v1/activation-messages")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(ENTERED, built.getString("activationId"));
        assertTrue(built.getString("runId").startsWith("test-"), "its own run id: never a real event's message id");
        assertEquals("track", built.getString("message.type"));
        assertEquals("Cart Abandoned", built.getString("message.event"));
        assertEquals("u456", built.getString("message.userId"));
        assertEquals("Eve", built.getString("message.properties.first_name"));
        assertEquals(26, built.getString("message.messageId").length());

        as("engage_user").body(Map.of("activationId", ENTERED, "profileId", "p_nobody")).post("/api/v1/activation-messages")
                .then().statusCode(404);
        as("engage_user").body(Map.of("activationId", UUID.randomUUID().toString(), "profileId", "p_eve")).post("/api/v1/activation-messages")
                .then().statusCode(404);
        as("engage_user").body("{}").post("/api/v1/activation-messages").then().statusCode(400)
                .body("errors.pointer", hasItem("/activationId")).body("errors.pointer", hasItem("/profileId"));
        as("read_only").body(Map.of("activationId", ENTERED, "profileId", "p_eve")).post("/api/v1/activation-messages").then().statusCode(403);
    }

    @Test
    @Order(13)
    @SuppressWarnings("unchecked")
    void eachActivationShapesItsMessagesAndOneOver32KilobytesIsFilteredAtSource() throws Exception {
        String audienceId = UUID.randomUUID().toString();
        String shaped = UUID.randomUUID().toString();
        String whole = UUID.randomUUID().toString();
        announce(audienceId, "carts_shaped", sampleDefinition());
        activation(shaped, audienceId, "entity_entered", "Cart Shaped", "shopping_cart", new ActivationChanged.Enrichment(List.of("first_name"),
                Map.of("shopping_cart", List.of("status"), "products", List.of("product_name"))), 1, "each_email");
        activation(whole, audienceId, "entity_entered", "Cart Whole", "shopping_cart", new ActivationChanged.Enrichment(List.of()), null, null);
        await().atMost(Duration.ofSeconds(20)).until(() -> countWhere("activation_state", "audience_id = '" + audienceId + "'") == 2);
        try (Connection c = LocalPostgres.connect("compute_test_warehouse"); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE prod.carts SET status = 'abandoned' WHERE id = '123'"); // Andrew's cart, products 324 and 489
            s.executeUpdate("INSERT INTO segment_profiles.user_identifiers VALUES ('p_andrew', 'email', 'andrew@work.example.com')");
            s.execute("ALTER TABLE prod.carts ADD COLUMN notes TEXT");
            s.executeUpdate("UPDATE prod.carts SET notes = repeat('n', 40000) WHERE id = '123'");
        }
        try {
            JsonPath run = runNow(audienceId);
            assertEquals("succeeded", run.getString("status"), run.prettify());
            List<ActivationEvent> events = eventsOf(run.getString("id"), 3);
            assertEquals(3, events.size());

            List<ActivationEvent> perEmail = events.stream().filter(e -> e.activationId().equals(shaped)).toList();
            assertEquals(List.of("andrew@example.com", "andrew@work.example.com"), perEmail.stream()
                    .map(e -> ((Map<String, Object>) ((Map<String, Object>) e.message().get("context")).get("traits")).get("email")).toList(),
                    "one message per email, in order");
            assertEquals(2, perEmail.stream().map(ActivationEvent::messageId).distinct().count());
            for (ActivationEvent event : perEmail) {
                assertNull(event.filteredAtSource());
                assertEquals("u123", event.message().get("userId"));
                assertEquals(Map.of("audience_key", "carts_shaped", "first_name", "Andrew", "shopping_cart__id", "123",
                        "shopping_cart__status", "abandoned", "__entity", "cart",
                        "shopping_cart__products", List.of(Map.of("sku", "324", "product_name", "Premium Tennis Shoes", "__entity", "product"))),
                        event.message().get("properties"), "the selected columns, one product of two");
            }

            ActivationEvent tooLarge = events.stream().filter(e -> e.activationId().equals(whole)).findFirst().orElseThrow();
            assertEquals("payload_too_large", tooLarge.filteredAtSource());
            assertEquals(26, tooLarge.messageId().length());
            assertEquals("Cart Whole", tooLarge.message().get("event"));
            assertNull(tooLarge.message().get("properties"), "only its envelope travels");

            JsonPath test = as("engage_user").body(Map.of("activationId", whole, "profileId", "p_andrew")).post("/api/v1/activation-messages")
                    .then().statusCode(200).extract().jsonPath();
            assertEquals("payload_too_large", test.getString("filteredAtSource"));
            assertEquals(40000, test.getString("message.properties.shopping_cart__notes").length(), "a test event shows what is too large");
        } finally {
            try (Connection c = LocalPostgres.connect("compute_test_warehouse"); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE prod.carts DROP COLUMN notes");
                s.executeUpdate("DELETE FROM segment_profiles.user_identifiers WHERE value = 'andrew@work.example.com'");
                s.executeUpdate("UPDATE prod.carts SET status = 'checked_out' WHERE id = '123'");
            }
        }
    }

    @Test
    @Order(14)
    @SuppressWarnings("unchecked")
    void profileTriggersCarryTheProfilesMatchedEntitiesOfTheirEnrichedRelationships() throws Exception {
        String audienceId = UUID.randomUUID().toString();
        String entered = UUID.randomUUID().toString();
        String exited = UUID.randomUUID().toString();
        announce(audienceId, "carts_enriched", sampleDefinition());
        activation(entered, audienceId, "profile_entered", "Cart Abandoned", null, new ActivationChanged.Enrichment(List.of("first_name"),
                Map.of("user-accounts", List.of("status"), "products", List.of("product_name")), List.of("user-accounts", "products")), null, null);
        activation(exited, audienceId, "profile_exited", "Cart Recovered", null,
                new ActivationChanged.Enrichment(List.of(), null, List.of("shopping_cart")), 1, null);
        await().atMost(Duration.ofSeconds(20)).until(() -> countWhere("activation_state", "audience_id = '" + audienceId + "'") == 2);
        try (Connection c = LocalPostgres.connect("compute_test_warehouse"); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE prod.carts SET status = 'abandoned' WHERE id IN ('123', '127')"); // Andrew and Eve are members
        }
        try {
            List<ActivationEvent> entries = eventsOf(runNow(audienceId).getString("id"), 2);
            assertEquals(2, entries.size());
            Map<String, Object> shoes = Map.of("sku", "324", "product_name", "Premium Tennis Shoes", "__entity", "product");
            Map<String, Object> jacket = Map.of("sku", "489", "product_name", "Premium Jacket", "__entity", "product");
            Map<String, Object> andrewsCart = Map.of("id", "123", "account_id", "a1", "status", "abandoned",
                    "abandoned_at", "2026-11-20T18:30:00Z", "__entity", "cart", "products", List.of(shoes, jacket));
            assertEquals(Map.of("audience_key", "carts_enriched", "first_name", "Andrew",
                            "user-accounts", List.of(Map.of("id", "a1", "status", "active", "__entity", "account", "shopping_cart", List.of(andrewsCart))),
                            "products", List.of(shoes, jacket)),
                    entries.stream().filter(e -> e.profileId().equals("p_andrew")).findFirst().orElseThrow().message().get("properties"),
                    "each enriched relationship as an array of the matched entities, nested, with the selected columns");

            try (Connection c = LocalPostgres.connect("compute_test_warehouse"); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE prod.carts SET status = 'checked_out' WHERE id = '123'"); // Andrew leaves
            }
            List<ActivationEvent> exits = eventsOf(runNow(audienceId).getString("id"), 1);
            assertEquals(1, exits.size());
            assertEquals(exited, exits.get(0).activationId());
            assertEquals(Map.of("audience_key", "carts_enriched", "shopping_cart", List.of(Map.of("id", "123", "account_id", "a1",
                            "status", "checked_out", "abandoned_at", "2026-11-20T18:30:00Z", "__entity", "cart",
                            "products", List.of(Map.of("sku", "324", "product_name", "Premium Tennis Shoes", "product_price", "$140", "__entity", "product"))))),
                    exits.get(0).message().get("properties"), "the cart matched in the baseline, as the warehouse has it now; one product of two");

            Map<String, Object> eves = as("engage_user").body(Map.of("activationId", entered, "profileId", "p_eve"))
                    .post("/api/v1/activation-messages").then().statusCode(200).extract().jsonPath().getMap("message.properties");
            Map<String, Object> socks = Map.of("sku", "512", "product_name", "Running Socks", "__entity", "product");
            assertEquals(List.of(Map.of("id", "a5", "status", "active", "__entity", "account", "shopping_cart", List.of(Map.of("id", "127",
                            "account_id", "a5", "status", "abandoned", "abandoned_at", "2026-11-23T11:00:00Z", "__entity", "cart", "products", List.of(socks))))),
                    eves.get("user-accounts"), "a test event reads the baseline");
            assertEquals(List.of(socks), eves.get("products"), "a product behind two junction rows appears once");
            assertEquals(0, stagedContextTables(), "the entity contexts the runs staged are dropped when they end");
        } finally {
            try (Connection c = LocalPostgres.connect("compute_test_warehouse"); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE prod.carts SET status = 'checked_out' WHERE id IN ('123', '127')");
            }
        }
    }

    private static long countWhere(String table, String where) throws Exception {
        try (Connection c = LocalPostgres.connect("compute_test"); Statement s = c.createStatement();
             var rows = s.executeQuery("SELECT count(*) FROM " + table + " WHERE " + where)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    @Order(12)
    void aRecordTheDatabaseRefusesIsSkippedAndTheRecordsBehindItStillArrive() throws Exception {
        announce("x".repeat(40), "overlong_id", sampleDefinition()); // ids are at most 36 characters
        String next = UUID.randomUUID().toString();
        announce(next, "after_the_refused_one", sampleDefinition()); // same single-partition topic, behind it
        assertEquals("succeeded", runNow(next).getString("status"));
    }

    /**
     * A guard rail holds a run that changes too much before anything is published; a second request gets the held
     * run; approving publishes exactly what was staged, once; discarding publishes nothing and leaves the baseline.
     */
    @Test
    @Order(15)
    void aRunOverItsGuardRailIsHeldUntilApprovedOrDiscarded() throws Exception {
        String audience = UUID.randomUUID().toString();
        String named = UUID.randomUUID().toString();
        AudienceDefinition everyoneNamed = JSON.readValue("{\"operator\":\"and\",\"groups\":[{\"operator\":\"and\",\"conditions\":"
                + "[{\"type\":\"trait\",\"trait\":\"first_name\",\"op\":\"exists\"}]}]}", AudienceDefinition.class);
        TopicRecords.send("audience-definitions", audience, new AudienceChanged(audience, "named", "named", true, false,
                everyoneNamed, Map.of("type", "manual"), sampleGraph(), Instant.now(), new GuardRail(null, 2L)));
        activation(named, audience, "profile_entered", "Named", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> countWhere("activation_state", "audience_id = '" + audience + "'") == 1);

        String held = await().atMost(Duration.ofSeconds(30)).until(() -> as("engage_user").body(Map.of("audienceId", audience))
                .post("/api/v1/runs").then().extract(), r -> r.statusCode() == 202).path("id");
        JsonPath hold = awaitStatus(held, "awaiting_approval");
        assertEquals(3, hold.getInt("changes.profilesEntered"), hold.prettify());
        assertEquals("3 profiles changed (3 entered, 0 exited), more than maxChangeCount 2", hold.getString("hold.reason"));
        assertEquals(0, eventsOf(held, 0).size(), "a held run publishes nothing");
        as("engage_user").body(Map.of("audienceId", audience)).post("/api/v1/runs").then().statusCode(202)
                .body("id", equalTo(held)).body("status", equalTo("awaiting_approval"));
        as("engage_user").post("/api/v1/runs/" + held + "/cancel").then().statusCode(409);

        as("read_only").post("/api/v1/runs/" + held + "/approve").then().statusCode(403);
        as("engage_user").post("/api/v1/runs/" + held + "/approve").then().statusCode(202);
        JsonPath approved = awaitFinished(held);
        assertEquals("succeeded", approved.getString("status"), approved.prettify());
        assertEquals(3, approved.getInt("audienceSize"));
        assertTrue(approved.getString("hold.resolvedBy") != null && approved.getString("hold.resolvedAt") != null, approved.prettify());
        List<ActivationEvent> events = eventsOf(held, 3);
        assertEquals(List.of("p_andrew", "p_beth", "p_eve"), events.stream().map(ActivationEvent::profileId).sorted().toList());
        assertEquals(3, events.stream().map(e -> e.message().get("messageId")).distinct().count());
        as("engage_user").post("/api/v1/runs/" + held + "/approve").then().statusCode(409);

        // 1 of 3 members leaves: 33 % against a limit of 10 %
        TopicRecords.send("audience-definitions", audience, new AudienceChanged(audience, "named", "named", true, false,
                everyoneNamed, Map.of("type", "manual"), sampleGraph(), Instant.now(), new GuardRail(10.0, null)));
        await().atMost(Duration.ofSeconds(20)).until(() -> countWhere("audience_state", "id = '" + audience + "' AND guard_rail LIKE '%maxChangePercent%'") == 1);
        try (Connection c = LocalPostgres.connect("compute_test_warehouse"); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE segment_profiles.profile_traits SET first_name = NULL WHERE canonical_segment_id = 'p_eve'");
        }
        try {
            String discarded = await().atMost(Duration.ofSeconds(30)).until(() -> as("engage_user").body(Map.of("audienceId", audience))
                    .post("/api/v1/runs").then().extract(), r -> r.statusCode() == 202 && !held.equals(r.path("id"))).path("id");
            JsonPath percent = awaitStatus(discarded, "awaiting_approval");
            assertTrue(percent.getString("hold.reason").contains("33.3% of the 3 members before the run, more than maxChangePercent 10.0"),
                    percent.prettify());
            as("workspace_owner").post("/api/v1/runs/" + discarded + "/discard").then().statusCode(200).body("status", equalTo("discarded"));
            assertEquals(0, eventsOf(discarded, 0).size(), "a discarded run publishes nothing");
            TopicRecords.send("audience-definitions", audience, new AudienceChanged(audience, "named", "named", true, false,
                    everyoneNamed, Map.of("type", "manual"), sampleGraph(), Instant.now(), null));
            await().atMost(Duration.ofSeconds(20)).until(() -> countWhere("audience_state", "id = '" + audience + "' AND guard_rail IS NULL") == 1);
            JsonPath next = runNow(audience);
            assertEquals("succeeded", next.getString("status"));
            assertEquals(1, next.getInt("changes.profilesExited"), "the discarded run did not promote");

            // an activation's own guard rail counts what it would send: a new one backfills every member
            try (Connection c = LocalPostgres.connect("compute_test_warehouse"); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE segment_profiles.profile_traits SET first_name = 'Eve' WHERE canonical_segment_id = 'p_eve'");
            }
            String backfilling = UUID.randomUUID().toString();
            activation(backfilling, audience, "profile_entered", "Named", null, new ActivationChanged.Enrichment(List.of()), null, null,
                    new GuardRail(null, 2L));
            await().atMost(Duration.ofSeconds(20)).until(() -> countWhere("activation_state", "id = '" + backfilling + "' AND guard_rail IS NOT NULL") == 1);
            String heldByActivation = await().atMost(Duration.ofSeconds(30)).until(() -> as("engage_user").body(Map.of("audienceId", audience))
                    .post("/api/v1/runs").then().extract(), r -> r.statusCode() == 202 && !next.getString("id").equals(r.path("id"))).path("id");
            JsonPath byActivation = awaitStatus(heldByActivation, "awaiting_approval");
            assertEquals("activation " + backfilling + " (profile_entered): 3 profiles changed (3 entered, 0 exited), more than maxChangeCount 2",
                    byActivation.getString("hold.reason"), byActivation.prettify());
            assertEquals(1, byActivation.getInt("changes.profilesEntered"), "the audience itself changed by one");
            as("engage_user").post("/api/v1/runs/" + heldByActivation + "/discard").then().statusCode(200);
        } finally {
            try (Connection c = LocalPostgres.connect("compute_test_warehouse"); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE segment_profiles.profile_traits SET first_name = 'Eve' WHERE canonical_segment_id = 'p_eve'");
            }
        }
    }

    private static JsonPath awaitStatus(String runId, String status) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> as("read_only").get("/api/v1/runs/" + runId).then().statusCode(200)
                .extract().jsonPath(), run -> status.equals(run.getString("status")));
    }

    /** Two installations on one Kafka cluster: the consumer group carries the topic prefix, so they never share a group. */
    @Test
    void theConsumerGroupCarriesTheTopicPrefix() {
        String group = ConfigProvider.getConfig().getValue("la.topic-prefix", String.class) + "compute-service";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class)))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> admin.listConsumerGroups().all().get().stream()
                    .anyMatch(g -> g.groupId().equals(group)));
        }
    }

    @Test
    void badRequestsAreProblems() {
        RestAssured.given().get("/api/v1/runs?audienceId=x").then().statusCode(401);
        as("read_only").body(Map.of("audienceId", AUDIENCE)).post("/api/v1/runs").then().statusCode(403);
        as("engage_user").body("{}").post("/api/v1/runs").then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItem("/audienceId"));
        as("engage_user").body(Map.of("audienceId", "unknown")).post("/api/v1/runs").then().statusCode(400)
                .body("errors[0].pointer", equalTo("/audienceId"));
        as("read_only").get("/api/v1/runs").then().statusCode(400).body("errors[0].pointer", equalTo("/audienceId"));
        as("read_only").get("/api/v1/runs/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
    }
}
