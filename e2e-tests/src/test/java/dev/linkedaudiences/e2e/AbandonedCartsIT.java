package dev.linkedaudiences.e2e;

import dev.linkedaudiences.testsupport.LocalKafka;
import dev.linkedaudiences.testsupport.LocalPostgres;
import dev.linkedaudiences.testsupport.RecordingHttpServer;
import dev.linkedaudiences.testsupport.RecordingHttpServer.RecordedRequest;
import dev.linkedaudiences.testsupport.TestKeys;
import dev.linkedaudiences.testsupport.Tokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The four packaged services as separate processes, on the real Kafka broker and PostgreSQL, with a real HTTP
 * server playing Iterable: the sample abandoned-carts audience is enabled, its members' entry events reach
 * Iterable once each; the warehouse changes so that one member leaves, and exactly one exit event follows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AbandonedCartsIT {
    private static final Path ROOT = Path.of(System.getProperty("la.repo.root", "..")).toAbsolutePath().normalize();
    private static final Path SAMPLE = ROOT.resolve("samples/abandoned-carts");
    private static final String API_KEY = "e2e-api-key";
    private static final String OWNER = Tokens.forRole("workspace_owner");

    private static final List<ServiceProcess> services = new ArrayList<>();
    private static RecordingHttpServer iterable;
    private static ServiceProcess audience;
    private static ServiceProcess compute;
    private static ServiceProcess delivery;
    private static ServiceProcess alerting;
    private static String audienceId;
    private static String enteredActivationId;

    @BeforeAll
    static void startEverything() throws Exception {
        String prefix = LocalKafka.createTopicsWithFreshPrefix();
        for (String db : List.of("e2e_audience", "e2e_compute", "e2e_delivery", "e2e_alerting", "e2e_warehouse")) {
            LocalPostgres.recreateDatabase(db);
        }
        LocalPostgres.runScript("e2e_warehouse", SAMPLE.resolve("warehouse.sql"));
        iterable = RecordingHttpServer.start();
        String publicKey = TestKeys.publicKeyFile().toString();
        // audience-service asks compute-service for the warehouse catalog, and compute-service asks it for the graph
        int computePort = ServiceProcess.freePort();
        audience = start("audience-service", "e2e_audience", prefix, publicKey, false,
                Map.of("quarkus.rest-client.compute-service.url", "http://127.0.0.1:" + computePort));
        compute = start("compute-service", "e2e_compute", prefix, publicKey, true,
                Map.of("quarkus.rest-client.audience-service.url", audience.baseUrl()), computePort);
        delivery = start("delivery-service", "e2e_delivery", prefix, publicKey, false,
                Map.of("quarkus.rest-client.compute-service.url", compute.baseUrl()));
        alerting = start("alerting-service", "e2e_alerting", prefix, publicKey, false, Map.of());
        for (ServiceProcess service : services) {
            service.awaitReady(Duration.ofSeconds(90));
        }
    }

    private static ServiceProcess start(String name, String database, String prefix, String publicKey, boolean warehouse,
                                        Map<String, String> extra) throws java.io.IOException {
        return start(name, database, prefix, publicKey, warehouse, extra, ServiceProcess.freePort());
    }

    /** @param warehouse whether the service connects to the warehouse (compute-service only) */
    private static ServiceProcess start(String name, String database, String prefix, String publicKey, boolean warehouse,
                                        Map<String, String> extra, int port) {
        Map<String, String> config = new LinkedHashMap<>(extra);
        config.put("quarkus.datasource.jdbc.url", LocalPostgres.jdbcUrl(database));
        config.put("quarkus.datasource.reactive.url", LocalPostgres.reactiveUrl(database));
        if (warehouse) {
            // compute-service's warehouse gateway (WarehouseSettings)
            config.put("warehouse.jdbc-url", LocalPostgres.jdbcUrl("e2e_warehouse"));
            config.put("warehouse.user", LocalPostgres.USER);
            config.put("warehouse.password", LocalPostgres.PASSWORD);
        }
        config.put("kafka.bootstrap.servers", LocalKafka.BOOTSTRAP);
        config.put("la.topic-prefix", prefix);
        config.put("mp.jwt.verify.publickey.location", publicKey);
        // The fake Iterable is plain http on 127.0.0.1: allowed by the outgoing URL policy in this test only.
        config.put("delivery.url-policy.allow-http", "true");
        config.put("delivery.url-policy.allowed-hosts", "127.0.0.1");
        ServiceProcess service = ServiceProcess.start(ROOT, name, config, ServiceProcess.DEFAULT_JVM_OPTIONS, port);
        services.add(service);
        return service;
    }

    @AfterAll
    static void stopEverything() {
        services.forEach(ServiceProcess::close);
        if (iterable != null) {
            iterable.close();
        }
    }

    private static RequestSpecification as(ServiceProcess service, String token) {
        return RestAssured.given().baseUri(service.baseUrl()).contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + token);
    }

    @Test
    @Order(1)
    void everyServiceRefusesCallsWithoutTokenAndWritesWithReadOnlyToken() {
        String readOnly = Tokens.forRole("read_only");
        for (String[] endpoint : new String[][]{{"audience", "/api/v1/audiences"}, {"compute", "/api/v1/runs?audienceId=x"},
                {"delivery", "/api/v1/delivery-overview?audienceId=x"}, {"alerting", "/api/v1/notifications"}}) {
            ServiceProcess service = switch (endpoint[0]) {
                case "audience" -> audience;
                case "compute" -> compute;
                case "delivery" -> delivery;
                default -> alerting;
            };
            RestAssured.given().baseUri(service.baseUrl()).get(endpoint[1]).then().statusCode(401);
        }
        as(audience, readOnly).body("{}").post("/api/v1/audiences").then().statusCode(403);
        as(compute, readOnly).body("{\"audienceId\":\"x\"}").post("/api/v1/runs").then().statusCode(403);
        as(alerting, readOnly).body("{}").post("/api/v1/alerts").then().statusCode(403);
    }

    @Test
    @Order(2)
    void enteringProfilesReachIterableOnceEach() throws Exception {
        as(audience, OWNER).body(Files.readString(SAMPLE.resolve("data-graph.json"))).put("/api/v1/data-graph").then().statusCode(200);
        String destinationId = as(audience, OWNER)
                .body(Map.of("name", "Iterable (fake)", "type", "iterable",
                        "settings", Map.of("apiKey", API_KEY, "baseUrl", iterable.baseUrl())))
                .post("/api/v1/destinations").then().statusCode(201)
                .body("settings.apiKey", equalTo(null)).body("secretsSet", hasItem("apiKey"))
                .extract().path("id");
        audienceId = as(audience, OWNER).body(Files.readString(SAMPLE.resolve("audience.json")))
                .post("/api/v1/audiences").then().statusCode(201).body("enabled", equalTo(false)).extract().path("id");
        for (String trigger : List.of("profile_entered", "profile_exited")) {
            String activationId = as(audience, OWNER).body(Map.of("audienceId", audienceId, "destinationId", destinationId, "action", "trackEvent",
                            "trigger", trigger, "enrichment", Map.of("traits", List.of("first_name", "last_name"))))
                    .post("/api/v1/activations").then().statusCode(201).extract().path("id");
            if (trigger.equals("profile_entered")) {
                enteredActivationId = activationId;
            }
        }
        Instant beforeRun = Instant.now().minusSeconds(1);
        as(audience, OWNER).post("/api/v1/audiences/" + audienceId + "/enable").then().statusCode(200).body("enabled", equalTo(true));

        JsonPath run = awaitRun(1);
        assertEquals("succeeded", run.getString("status"), run.prettify());
        assertEquals(2, run.getInt("audienceSize"));
        assertEquals(2, run.getInt("changes.profilesEntered"));

        await().atMost(Duration.ofSeconds(60)).until(() -> iterable.requestsTo("/api/events/track").size() >= 2);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> iterable.requestsTo("/api/events/track").size() == 2);
        List<JsonPath> andrew = bodiesFor("andrew@example.com");
        assertEquals(1, andrew.size(), "exactly one request for the entering profile");
        RecordedRequest request = iterable.requestsTo("/api/events/track").stream()
                .filter(r -> r.body().contains("andrew@example.com")).findFirst().orElseThrow();
        assertEquals("POST", request.method());
        assertEquals(API_KEY, request.headers().get("api-key"));
        assertTrue(request.headers().get("content-type").startsWith("application/json"));
        JsonPath body = andrew.get(0);
        assertEquals("u123", body.getString("userId"));
        assertEquals("Audience Entered", body.getString("eventName"));
        assertEquals(26, body.getString("id").length(), "id is the ULID-shaped messageId");
        long createdAt = body.getLong("createdAt");
        assertTrue(createdAt >= beforeRun.getEpochSecond() && createdAt <= Instant.now().getEpochSecond(), "createdAt is the run start in Unix seconds");
        assertEquals("Andrew", body.getString("dataFields.first_name"));
        assertEquals("Shopper", body.getString("dataFields.last_name"));
        assertEquals("abandoned_carts", body.getString("dataFields.audience_key"));
        assertEquals(1, bodiesFor("eve@example.com").size());
        assertOverview(2, 2);
    }

    @Test
    @Order(3)
    void aProfileThatLeavesProducesExactlyOneExitEvent() throws Exception {
        try (Connection c = LocalPostgres.connect("e2e_warehouse"); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE prod.carts SET status = 'checked_out' WHERE id = '123'");
        }
        as(compute, OWNER).body(Map.of("audienceId", audienceId)).post("/api/v1/runs").then().statusCode(202);
        JsonPath run = awaitRun(2);
        assertEquals("succeeded", run.getString("status"), run.prettify());
        assertEquals(1, run.getInt("audienceSize"));
        assertEquals(0, run.getInt("changes.profilesEntered"));
        assertEquals(1, run.getInt("changes.profilesExited"));

        await().atMost(Duration.ofSeconds(60)).until(() -> iterable.requestsTo("/api/events/track").size() >= 3);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> iterable.requestsTo("/api/events/track").size() == 3);
        List<JsonPath> andrew = bodiesFor("andrew@example.com");
        assertEquals(2, andrew.size());
        assertEquals("Audience Exited", andrew.get(1).getString("eventName"));
        assertEquals(1, bodiesFor("eve@example.com").size(), "Eve stayed: nothing more for her");
        assertOverview(3, 3);
    }

    @Test
    @Order(4)
    void badInputIsAProblemNamingTheField() {
        as(audience, OWNER).body("{\"key\":\"Bad Key\",\"name\":\"\",\"definition\":{\"operator\":\"xor\",\"groups\":[]}}")
                .post("/api/v1/audiences").then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItem("/key")).body("errors.pointer", hasItem("/name"))
                .body("errors.pointer", hasItem("/definition/operator")).body("errors.pointer", hasItem("/definition/groups"));
        as(compute, OWNER).body("{}").post("/api/v1/runs").then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItem("/audienceId"));
        // compute-service asks audience-service for the graph with the caller's token, then names the bad field
        as(compute, OWNER).body("{\"definition\":{\"operator\":\"and\",\"groups\":[{\"operator\":\"and\",\"conditions\":"
                        + "[{\"type\":\"trait\",\"trait\":\"shoe_size\",\"op\":\"exists\"}]}]}}")
                .post("/api/v1/previews").then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItem("/definition/groups/0/conditions/0/trait"));
        as(delivery, OWNER).get("/api/v1/delivery-overview").then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItem("/audienceId"));
    }

    @Test
    @Order(5)
    void aTestEventSendsTheActivationsMessageForOneProfileNowAndAnswersWhatIterableSaid() {
        int tracked = iterable.requestsTo("/api/events/track").size();
        JsonPath result = as(delivery, OWNER).body(Map.of("activationId", enteredActivationId, "profileId", "p_eve"))
                .post("/api/v1/test-events").then().statusCode(200).extract().jsonPath();
        assertEquals("u456", result.getString("payload.userId"));
        assertEquals("Eve", result.getString("payload.properties.first_name"), "built by compute-service from the warehouse");
        assertEquals(200, result.getInt("destination.status"));
        assertEquals(null, result.getString("destination.reason"));
        await().atMost(Duration.ofSeconds(10)).until(() -> iterable.requestsTo("/api/events/track").size() == tracked + 1);
        JsonPath sent = new JsonPath(iterable.requestsTo("/api/events/track").get(tracked).body());
        assertEquals("eve@example.com", sent.getString("email"));
        assertEquals(result.getString("payload.messageId"), sent.getString("id"));
        assertOverview(3, 3); // a test event is not an audience event
        as(delivery, OWNER).body(Map.of("activationId", enteredActivationId, "profileId", "p_nobody"))
                .post("/api/v1/test-events").then().statusCode(404).contentType("application/problem+json");
    }

    private JsonPath awaitRun(int expectedRuns) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonPath runs = as(compute, OWNER).get("/api/v1/runs?audienceId=" + audienceId).then().statusCode(200).extract().jsonPath();
            return runs.getList("$").size() == expectedRuns && List.of("succeeded", "failed").contains(runs.getString("[0].status"));
        });
        return new JsonPath(as(compute, OWNER).get("/api/v1/runs?audienceId=" + audienceId).asString()).setRootPath("[0]");
    }

    private void assertOverview(int events, int successful) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonPath steps = as(delivery, OWNER).get("/api/v1/delivery-overview?audienceId=" + audienceId)
                    .then().statusCode(200).extract().jsonPath().setRootPath("steps");
            assertEquals(events, steps.getInt("eventsFromAudience"));
            assertEquals(successful, steps.getInt("successfulDelivery"));
            assertEquals(0, steps.getInt("pendingRetry") + steps.getInt("failedDelivery")
                    + steps.getInt("filteredAtSource") + steps.getInt("filteredAtDestination"));
        });
    }

    private static List<JsonPath> bodiesFor(String email) {
        return iterable.requestsTo("/api/events/track").stream().map(r -> new JsonPath(r.body()))
                .filter(b -> email.equals(b.getString("email"))).toList();
    }
}
