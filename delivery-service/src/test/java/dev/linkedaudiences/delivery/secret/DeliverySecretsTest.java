package dev.linkedaudiences.delivery.secret;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.contracts.event.ActivationChanged;
import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.contracts.secret.SecretBox;
import dev.linkedaudiences.contracts.secret.SecretSettings;
import dev.linkedaudiences.delivery.ComputeServiceStub;
import dev.linkedaudiences.delivery.DeliveryFixtures;
import dev.linkedaudiences.delivery.DeliveryFixtures.TestActivation;
import dev.linkedaudiences.delivery.activation.ActivationSecretsResealer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import dev.linkedaudiences.testsupport.LocalInfrastructure;
import dev.linkedaudiences.testsupport.LocalPostgres;
import dev.linkedaudiences.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static dev.linkedaudiences.delivery.DeliveryFixtures.awaitStatus;
import static dev.linkedaudiences.delivery.DeliveryFixtures.changed;
import static dev.linkedaudiences.delivery.DeliveryFixtures.produce;
import static dev.linkedaudiences.delivery.DeliveryFixtures.publish;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Destination secrets are never stored, logged nor shown in clear by delivery-service (issue 12, findings 4 and 7):
 * activations of every destination type with marker secrets send to a destination that answers 401 echoing every
 * header it was sent (the keys), padded past the cut; the markers are then looked for in every table, the log, the
 * dead letters and a test event's answer. The destination did get the keys: sealed secrets are opened to send.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = DeliveryFixtures.DATABASE))
@QuarkusTestResource(ComputeServiceStub.class)
class DeliverySecretsTest {
    private static final String PADDING = "x".repeat(3000);
    private final ObjectMapper json = new ObjectMapper();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private HttpServer echo;
    private Handler logHandler;

    @Inject
    SecretBox secrets;
    @Inject
    ActivationSecretsResealer resealer;

    @BeforeEach
    void start() throws IOException {
        echo = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        echo.createContext("/", exchange -> {
            StringBuilder headers = new StringBuilder();
            exchange.getRequestHeaders().forEach((name, values) -> values.forEach(v -> headers.append(name).append('=').append(v).append(' ')));
            received.add(headers.toString());
            exchange.getRequestBody().readAllBytes();
            // A refusal that echoes what it was sent, where each vendor puts its explanation, and then some.
            String quoted = headers.toString().replace("\\", "\\\\").replace("\"", "\\\"");
            byte[] body = ("{\"msg\":\"bad key: " + quoted + "\",\"message\":\"bad key: " + quoted + "\",\"meta\":{\"error\":\""
                    + quoted + "\"},\"padding\":\"" + PADDING + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        echo.start();
        logHandler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getMessage() + " " + java.util.Arrays.toString(record.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger("").addHandler(logHandler);
    }

    @AfterEach
    void stop() {
        echo.stop(0);
        Logger.getLogger("").removeHandler(logHandler);
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + echo.getAddress().getPort();
    }

    private static String marker() {
        return "MARKER-" + UUID.randomUUID();
    }

    /** Publishes an activation as audience-service does, its secrets sealed; {@code legacy}: in clear, as before. */
    private TestActivation activation(String type, String action, Map<String, String> settings, boolean legacy) {
        TestActivation activation = new TestActivation(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        Map<String, String> sent = legacy ? settings : SecretSettings.sealed(settings, secrets);
        publish(changed(activation, new ActivationChanged.Destination("dest-" + UUID.randomUUID(), type, action, sent),
                true, false, Instant.now()));
        return activation;
    }

    private static List<String> everyRow() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = LocalPostgres.connect(DeliveryFixtures.DATABASE); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet r = s.executeQuery("select table_name from information_schema.tables"
                    + " where table_schema = 'public' and table_type = 'BASE TABLE'")) {
                while (r.next()) {
                    tables.add(r.getString(1));
                }
            }
            assertTrue(tables.containsAll(List.of("activation_state", "delivery_event")), tables.toString());
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

    @Test
    void markerSecretsAreNeitherStoredLoggedNorShownAndRepliesAreCut() throws Exception {
        Map<String, String> markers = new HashMap<>();
        for (String name : List.of("iterable", "braze", "customerio", "webhook", "authorization", "legacy")) {
            markers.put(name, marker());
        }
        List<TestActivation> activations = List.of(
                activation("iterable", "trackEvent", Map.of("apiKey", markers.get("iterable"), "baseUrl", baseUrl()), false),
                activation("braze", "trackEvent", Map.of("apiKey", markers.get("braze"), "endpoint", baseUrl()), false),
                activation("customerio", "trackEvent", Map.of("siteId", "site-1", "apiKey", markers.get("customerio"),
                        "baseUrl", baseUrl()), false),
                activation("webhook", "send", Map.of("url", baseUrl() + "/hook", "secret", markers.get("webhook"),
                        "header.Authorization", "Bearer " + markers.get("authorization")), false),
                activation("iterable", "trackEvent", Map.of("apiKey", markers.get("legacy"), "baseUrl", baseUrl()), true));
        List<ActivationEvent> events = new ArrayList<>();
        for (TestActivation activation : activations) {
            ActivationEvent event = activation.event("p1");
            events.add(event);
            produce(event);
        }
        events.forEach(event -> awaitStatus(event, "failed")); // a 401 fails at once

        // The destination got the keys (opened to send) and echoed them.
        String all = String.join("\n", received);
        assertTrue(all.contains(markers.get("iterable")) && all.contains(markers.get("braze")) && all.contains(markers.get("legacy"))
                && all.contains("Bearer " + markers.get("authorization")), "the keys were sent: " + all);

        List<String> read = new ArrayList<>(everyRow());
        for (TestActivation activation : activations) {
            String deadLetters = given().auth().oauth2(Tokens.forRole(Roles.READ_ONLY)).queryParam("audienceId", activation.audienceId())
                    .get("/api/v1/delivery-overview/dead-letters").then().statusCode(200).extract().asString();
            assertTrue(deadLetters.contains("HTTP 401"), deadLetters);
            read.add(deadLetters);
        }
        // A test event answers the destination's reply: scrubbed and cut too.
        TestActivation webhook = activations.get(3);
        ComputeServiceStub.server().stub("/api/v1/activation-messages", json.writeValueAsString(webhook.event("p2")));
        String tested = given().auth().oauth2(Tokens.forRole(Roles.ENGAGE_USER)).contentType("application/json")
                .body(Map.of("activationId", webhook.activationId(), "profileId", "p2")).post("/api/v1/test-events")
                .then().statusCode(200).extract().asString();
        assertTrue(tested.contains("***"), tested);
        assertFalse(tested.contains(PADDING), "the reply is cut");
        read.add(tested);
        assertTrue(logged.stream().anyMatch(line -> line.contains("HTTP 401")), "the failures were logged (and looked at)");
        read.addAll(logged);

        for (String text : read) {
            for (String marker : markers.values()) {
                assertFalse(text.contains(marker), "a secret in clear: " + text);
            }
            assertFalse(text.contains(PADDING), "a reply kept whole: " + text.length() + " characters");
        }
        // Stored sealed, the legacy record's in clear too.
        try (Connection c = LocalPostgres.connect(DeliveryFixtures.DATABASE);
             var s = c.prepareStatement("select settings from activation_state where id = ?")) {
            s.setString(1, activations.get(4).activationId());
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next());
                String apiKey = json.readTree(r.getString(1)).get("apiKey").asText();
                assertTrue(apiKey.startsWith("enc:v1:test:"), apiKey);
                assertEquals(markers.get("legacy"), secrets.open(apiKey));
            }
        }
    }

    /** Rotation: secrets sealed with the previous key, or stored in clear, are sealed again with the current key at start. */
    @Test
    void plainAndPreviousKeySecretsAreSealedAgainWithTheCurrentKey() throws Throwable {
        SecretBox previous = SecretBox.of(List.of("previous:7wmYRCCcssNjuzkFmCrTA+LP5hp2EZljS/6in2iNZDo="));
        String oldMarker = marker();
        String plainMarker = marker();
        TestActivation old = activation("webhook", "send", SecretSettings.sealed(Map.of("url", baseUrl(), "secret", oldMarker), previous), true);
        TestActivation plain = activation("webhook", "send", Map.of("url", baseUrl(), "secret", plainMarker), true);
        try (Connection c = LocalPostgres.connect(DeliveryFixtures.DATABASE);
             var s = c.prepareStatement("update activation_state set settings = ? where id = ?")) {
            // As stored before sealing, and before the rotation (the consumer seals what it stores with the current key).
            s.setString(1, json.writeValueAsString(Map.of("url", baseUrl(), "secret", plainMarker)));
            s.setString(2, plain.activationId());
            assertEquals(1, s.executeUpdate());
            s.setString(1, json.writeValueAsString(Map.of("url", baseUrl(), "secret", previous.seal(oldMarker))));
            s.setString(2, old.activationId());
            assertEquals(1, s.executeUpdate());
        }
        int resealed = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(resealer::resealAll));
        assertTrue(resealed >= 2, "resealed " + resealed);
        assertEquals(0, VertxContextSupport.<Integer>subscribeAndAwait(() -> Panache.withTransaction(resealer::resealAll)));
        for (var expected : Map.of(old.activationId(), oldMarker, plain.activationId(), plainMarker).entrySet()) {
            try (Connection c = LocalPostgres.connect(DeliveryFixtures.DATABASE);
                 var s = c.prepareStatement("select settings from activation_state where id = ?")) {
                s.setString(1, expected.getKey());
                try (ResultSet r = s.executeQuery()) {
                    assertTrue(r.next());
                    String secret = json.readTree(r.getString(1)).get("secret").asText();
                    assertTrue(secret.startsWith("enc:v1:test:"), secret);
                    assertEquals(expected.getValue(), secrets.open(secret));
                }
            }
        }
    }
}
