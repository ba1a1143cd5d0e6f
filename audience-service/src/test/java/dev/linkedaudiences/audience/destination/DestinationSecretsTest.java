package dev.linkedaudiences.audience.destination;

import dev.linkedaudiences.audience.AudienceServiceTestResource;
import dev.linkedaudiences.contracts.event.ActivationChanged;
import dev.linkedaudiences.contracts.secret.SecretBox;
import dev.linkedaudiences.testsupport.LocalPostgres;
import dev.linkedaudiences.testsupport.TopicRecords;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.linkedaudiences.audience.Api.as;
import static dev.linkedaudiences.audience.Api.owner;
import static dev.linkedaudiences.audience.Api.sample;
import static dev.linkedaudiences.audience.Api.sampleDataGraph;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Destination secrets are never stored nor sent in clear (issue 12, findings 4-6): marker secrets of every destination
 * type are looked for in every table of the database, on activation-definitions and in every API answer.
 */
@QuarkusTest
@AudienceServiceTestResource
class DestinationSecretsTest {
    private static final String DATABASE = "audience_test";
    private static final String PREVIOUS_KEY = "previous:7wmYRCCcssNjuzkFmCrTA+LP5hp2EZljS/6in2iNZDo=";

    @Inject
    SecretBox secrets;
    @Inject
    DestinationSecretsResealer resealer;

    private static String marker() {
        return "MARKER-" + UUID.randomUUID();
    }

    private static String create(String type, Map<String, String> settings) {
        return owner().body(Map.of("name", type, "type", type, "settings", settings)).post("/api/v1/destinations")
                .then().statusCode(201).body(not(containsString("MARKER-"))).extract().path("id");
    }

    private static String audience() {
        sampleDataGraph();
        String key = "sec_" + UUID.randomUUID().toString().substring(0, 8);
        return owner().body(sample("audience.json").replace("\"abandoned_carts\"", "\"" + key + "\""))
                .post("/api/v1/audiences").then().statusCode(201).extract().path("id");
    }

    private static String activate(String audience, String destination, String action) {
        return owner().body(Map.of("audienceId", audience, "destinationId", destination, "action", action,
                "trigger", "profile_entered")).post("/api/v1/activations").then().statusCode(201).extract().path("id");
    }

    /** Every row of every table of the database, each as text. */
    private static List<String> everyRow() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = LocalPostgres.connect(DATABASE); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet r = s.executeQuery("select table_name from information_schema.tables"
                    + " where table_schema = 'public' and table_type = 'BASE TABLE'")) {
                while (r.next()) {
                    tables.add(r.getString(1));
                }
            }
            assertTrue(tables.containsAll(List.of("destination", "outbox", "activation")), tables.toString());
            for (String table : tables) {
                try (ResultSet r = s.executeQuery("select t::text from \"" + table + "\" t")) {
                    while (r.next()) {
                        rows.add(table + ": " + r.getString(1));
                    }
                }
            }
        }
        return rows;
    }

    private static long outboxRowsOf(List<String> keys) throws Exception {
        try (Connection c = LocalPostgres.connect(DATABASE);
             var s = c.prepareStatement("select count(*) from outbox where message_key = any(?)")) {
            s.setArray(1, c.createArrayOf("text", keys.toArray()));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** Finding 4 (audience-service's part): the database, the outbox and activation-definitions hold no secret in clear. */
    @Test
    void markerSecretsOfEveryTypeAppearNowhereInClear() throws Exception {
        List<String> markers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            markers.add(marker());
        }
        String iterable = create("iterable", Map.of("apiKey", markers.get(0), "dataCenter", "eu"));
        String braze = create("braze", Map.of("apiKey", markers.get(1), "endpoint", "https://93.184.216.34"));
        String customerio = create("customerio", Map.of("siteId", "site-1", "apiKey", markers.get(2)));
        String webhook = create("webhook", Map.of("url", "https://93.184.216.34/hook", "secret", markers.get(3),
                "header.Authorization", "Bearer " + markers.get(4), "header.X-Token", markers.get(5)));
        String audience = audience();
        List<String> activations = List.of(activate(audience, iterable, "trackEvent"), activate(audience, braze, "trackEvent"),
                activate(audience, customerio, "trackEvent"), activate(audience, webhook, "send"));

        // Relayed rows are deleted, not kept.
        await().atMost(Duration.ofSeconds(20)).until(() -> outboxRowsOf(activations) == 0);
        List<TopicRecords.Record> records = TopicRecords.readUntil("activation-definitions",
                all -> activations.stream().allMatch(id -> all.stream().anyMatch(r -> id.equals(r.key()))), Duration.ofSeconds(20));
        List<String> read = new ArrayList<>(everyRow());
        records.forEach(r -> read.add("activation-definitions " + r.key() + ": " + r.value()));
        for (String role : List.of("workspace_owner", "engage_user", "read_only")) {
            read.add(as(role).get("/api/v1/destinations").then().statusCode(200).extract().asString());
            for (String id : List.of(iterable, braze, customerio, webhook)) {
                read.add(as(role).get("/api/v1/destinations/" + id).then().statusCode(200).extract().asString());
            }
            read.add(as(role).get("/api/v1/activations?audienceId=" + audience).then().statusCode(200).extract().asString());
        }
        for (String text : read) {
            for (String marker : markers) {
                assertFalse(text.contains(marker), "a secret in clear: " + text);
            }
        }

        // They are there, sealed with the key delivery-service holds.
        ActivationChanged.Destination sent = records.stream().filter(r -> activations.get(3).equals(r.key()))
                .map(r -> TopicRecords.read(r, ActivationChanged.class)).reduce((a, b) -> b).orElseThrow().destination();
        assertEquals(markers.get(3), secrets.open(sent.settings().get("secret")));
        assertEquals("Bearer " + markers.get(4), secrets.open(sent.settings().get("header.Authorization")));
        assertEquals("https://93.184.216.34/hook", sent.settings().get("url"), "only secrets are sealed");
    }

    /** Finding 5: header values are write-only, like every secret. */
    @Test
    void headerValuesAreWriteOnly() {
        String marker = marker();
        String id = create("webhook", Map.of("url", "https://93.184.216.34/hook", "secret", "s",
                "header.Authorization", "Bearer " + marker, "header.X-Team", "growth"));
        for (String role : List.of("workspace_owner", "engage_user", "read_only")) {
            as(role).get("/api/v1/destinations/" + id).then().statusCode(200)
                    .body("settings.'header.Authorization'", nullValue()).body("settings.'header.X-Team'", nullValue())
                    .body("secretsSet", hasItems("secret", "header.Authorization", "header.X-Team"))
                    .body(not(containsString(marker)));
            as(role).get("/api/v1/destinations").then().statusCode(200).body(not(containsString(marker)));
        }
        // Left out on update, a header is kept (a client cannot send back what it never saw); sent as null, it goes.
        owner().body(Map.of("name", "w", "settings", Map.of("url", "https://93.184.216.34/hook")))
                .put("/api/v1/destinations/" + id).then().statusCode(200)
                .body("secretsSet", hasItems("secret", "header.Authorization", "header.X-Team"));
        java.util.Map<String, String> removing = new java.util.HashMap<>(Map.of("url", "https://93.184.216.34/hook"));
        removing.put("header.X-Team", null);
        owner().body(Map.of("name", "w", "settings", removing)).put("/api/v1/destinations/" + id).then().statusCode(200)
                .body("secretsSet", not(hasItem("header.X-Team"))).body("secretsSet", hasItem("header.Authorization"));
    }

    /** Finding 6: a new host or URL needs the secrets again, so that a stored key never goes to another host. */
    @Test
    void changingTheAddressRequiresTheSecretsAgain() {
        String iterable = create("iterable", Map.of("apiKey", marker(), "baseUrl", "https://93.184.216.34"));
        owner().body(Map.of("name", "i", "settings", Map.of("baseUrl", "https://93.184.216.35")))
                .put("/api/v1/destinations/" + iterable).then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItem("/settings/apiKey"));
        owner().body(Map.of("name", "i", "settings", Map.of())).put("/api/v1/destinations/" + iterable)
                .then().statusCode(400).body("errors.pointer", hasItem("/settings/apiKey")); // the default host is another host
        owner().body(Map.of("name", "i", "settings", Map.of("baseUrl", "https://93.184.216.34/", "bulk", "true")))
                .put("/api/v1/destinations/" + iterable).then().statusCode(200); // same address: the key is kept
        owner().body(Map.of("name", "i", "settings", Map.of("baseUrl", "https://93.184.216.35", "apiKey", "new-key")))
                .put("/api/v1/destinations/" + iterable).then().statusCode(200).body("settings.baseUrl", equalTo("https://93.184.216.35"));

        String webhook = create("webhook", Map.of("url", "https://93.184.216.34/hook", "secret", marker(),
                "header.Authorization", "Bearer " + marker()));
        owner().body(Map.of("name", "w", "settings", Map.of("url", "https://93.184.216.34/other")))
                .put("/api/v1/destinations/" + webhook).then().statusCode(400)
                .body("errors.pointer", hasItems("/settings/secret", "/settings/header.Authorization"));
        owner().body(Map.of("name", "w", "settings", Map.of("url", "https://93.184.216.34/other", "secret", "s2",
                        "header.Authorization", "Bearer t2")))
                .put("/api/v1/destinations/" + webhook).then().statusCode(200);

        String braze = create("braze", Map.of("apiKey", marker(), "endpoint", "https://93.184.216.34"));
        owner().body(Map.of("name", "b", "settings", Map.of("endpoint", "https://93.184.216.36")))
                .put("/api/v1/destinations/" + braze).then().statusCode(400).body("errors.pointer", hasItem("/settings/apiKey"));
    }

    /**
     * Rotation and legacy rows: at start the service seals plain secrets and those of a previous key with the current
     * key (here called directly), and announces the destination's activations again with them.
     */
    @Test
    void plainAndPreviousKeySecretsAreSealedAgainWithTheCurrentKey() throws Throwable {
        SecretBox previous = SecretBox.of(List.of(PREVIOUS_KEY));
        String plainMarker = marker();
        String oldMarker = marker();
        String plain = UUID.randomUUID().toString();
        String old = UUID.randomUUID().toString();
        try (Connection c = LocalPostgres.connect(DATABASE);
             var insert = c.prepareStatement("insert into destination (id, name, type, settings, created_at) values (?, ?, ?, ?, ?)")) {
            for (String[] row : new String[][]{{plain, "{\"apiKey\":\"" + plainMarker + "\"}"},
                    {old, "{\"apiKey\":\"" + previous.seal(oldMarker) + "\"}"}}) {
                insert.setString(1, row[0]);
                insert.setString(2, "legacy");
                insert.setString(3, "iterable");
                insert.setString(4, row[1]);
                insert.setObject(5, java.sql.Timestamp.from(Instant.now()));
                insert.executeUpdate();
            }
        }
        String activation = activate(audience(), plain, "trackEvent");
        await().atMost(Duration.ofSeconds(20)).until(() -> outboxRowsOf(List.of(activation)) == 0);

        int resealed = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(resealer::resealAll));
        assertTrue(resealed >= 2, "resealed " + resealed);
        assertEquals(0, VertxContextSupport.<Integer>subscribeAndAwait(() -> Panache.withTransaction(resealer::resealAll)));
        try (Connection c = LocalPostgres.connect(DATABASE); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select id, settings from destination where id in ('" + plain + "', '" + old + "')")) {
            int rows = 0;
            while (r.next()) {
                rows++;
                String apiKey = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.getString(2)).get("apiKey").asText();
                assertTrue(apiKey.startsWith("enc:v1:test:"), apiKey);
                assertEquals(r.getString(1).equals(plain) ? plainMarker : oldMarker, secrets.open(apiKey));
            }
            assertEquals(2, rows);
        }
        // The activation of the legacy destination was announced again, sealed with the current key.
        List<TopicRecords.Record> records = TopicRecords.readUntil("activation-definitions", all -> all.stream()
                .filter(r -> activation.equals(r.key())).count() >= 2, Duration.ofSeconds(20));
        String announced = records.stream().filter(r -> activation.equals(r.key()))
                .map(r -> TopicRecords.read(r, ActivationChanged.class)).reduce((a, b) -> b).orElseThrow()
                .destination().settings().get("apiKey");
        assertTrue(announced.startsWith("enc:v1:test:"), announced);
        assertEquals(plainMarker, secrets.open(announced));
    }
}
