package dev.linkedaudiences.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.contracts.Topics;
import dev.linkedaudiences.contracts.event.ActivationChanged;
import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.testsupport.LocalPostgres;
import dev.linkedaudiences.testsupport.RecordingHttpServer.RecordedRequest;
import dev.linkedaudiences.testsupport.Tokens;
import io.quarkus.arc.Arc;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The outside world of the delivery tests: activations and events written to the real broker as audience-service
 * and compute-service would, what the service stored in its test database, what it published, and the overview.
 */
public final class DeliveryFixtures {
    /** The database {@code LocalInfrastructure} recreates for the delivery tests (one boot for all test classes). */
    public static final String DATABASE = "delivery_test";
    public static final String API_KEY = "test-iterable-api-key";
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    /** An activation under test, and the events it would produce. */
    public record TestActivation(String activationId, String audienceId) {
        /** A track event for {@code profileId} identified by the given userId and/or email (either may be null). */
        public ActivationEvent event(String profileId, String userId, String email) {
            Map<String, Object> traits = new HashMap<>();
            if (email != null) {
                traits.put("email", email);
            }
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("type", "track");
            message.put("event", "abandoned_carts_linked_audience");
            message.put("messageId", "msg-" + UUID.randomUUID());
            message.put("timestamp", "2026-11-24T08:00:00Z");
            if (userId != null) {
                message.put("userId", userId);
            }
            message.put("context", Map.of("traits", traits, "personas", Map.of(
                    "computation_class", "audience", "computation_id", audienceId, "computation_key", "abandoned_carts",
                    "event_emitter_id", activationId)));
            message.put("properties", Map.of("audience_key", "abandoned_carts", "first_name", "Andrew",
                    "cart_updated_at", "2026-11-23T17:45:12+01:00", "birthday", "1990-04-01"));
            return new ActivationEvent(activationId, audienceId, "run-1", profileId, "profile_entered", message);
        }

        public ActivationEvent event(String profileId) {
            return event(profileId, "user-" + profileId, profileId + "@example.com");
        }

        /** The identify message of a {@code membership_changed} activation: {@code profileId} entered or exited in {@code runId}. */
        public ActivationEvent identify(String profileId, String runId, boolean member) {
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("type", "identify");
            message.put("messageId", "msg-" + UUID.randomUUID());
            message.put("timestamp", "2026-11-24T08:00:00Z");
            message.put("userId", "user-" + profileId);
            message.put("traits", Map.of("abandoned_carts", member));
            return new ActivationEvent(activationId, audienceId, runId, profileId, "membership_changed", message);
        }
    }

    /** Publishes an Iterable activation that sends to {@code baseUrl}, and waits until the service knows it. */
    public static TestActivation activation(String baseUrl, boolean enabled) {
        TestActivation activation = new TestActivation(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        publish(changed(activation, baseUrl, enabled, false, Instant.now()));
        return activation;
    }

    /** Publishes an enabled activation to a destination of {@code type}, and waits until the service knows it. */
    public static TestActivation activation(String type, String action, Map<String, String> settings) {
        TestActivation activation = new TestActivation(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        publish(changed(activation, new ActivationChanged.Destination("dest-" + type, type, action, settings), true,
                false, Instant.now()));
        return activation;
    }

    /** An activation-definitions record of an Iterable trackEvent activation. */
    public static ActivationChanged changed(TestActivation activation, String baseUrl, boolean enabled, boolean deleted,
                                            Instant changedAt) {
        Map<String, String> settings = Map.of("apiKey", API_KEY, "dataCenter", "us", "baseUrl", baseUrl);
        return changed(activation, new ActivationChanged.Destination("dest-1", "iterable", "trackEvent", settings),
                enabled, deleted, changedAt);
    }

    /** An activation-definitions record of an activation to {@code destination}. */
    public static ActivationChanged changed(TestActivation activation, ActivationChanged.Destination destination,
                                            boolean enabled, boolean deleted, Instant changedAt) {
        return new ActivationChanged(activation.activationId(), activation.audienceId(), "abandoned_carts",
                "profile_entered", "abandoned_carts_linked_audience", null,
                new ActivationChanged.Enrichment(List.of("first_name")), true, enabled, "valid", deleted,
                destination, changedAt);
    }

    /** Publishes {@code changed} and waits until the service stored (or, for a deletion, forgot) it. */
    public static void publish(ActivationChanged changed) {
        send(Topics.ACTIVATION_DEFINITIONS, changed.activationId(), changed);
        await().atMost(PATIENCE).until(() -> count("select count(*) from activation_state where id = ?",
                changed.activationId()) == (changed.deleted() ? 0 : 1));
    }

    public static void produce(ActivationEvent event) {
        send(Topics.ACTIVATION_EVENTS, event.partitionKey(), event);
    }

    /** Produces {@code events} in order with one producer (keyed by activation and profile), waiting for every ack. */
    public static void produceAll(List<ActivationEvent> events) {
        var config = ConfigProvider.getConfig();
        Map<String, Object> producerConfig = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.getValue("kafka.bootstrap.servers", String.class),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (var producer = new KafkaProducer<String, String>(producerConfig)) {
            List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
            for (ActivationEvent event : events) {
                acks.add(producer.send(new ProducerRecord<>(topic(Topics.ACTIVATION_EVENTS), event.partitionKey(),
                        json().writeValueAsString(event))));
            }
            for (var ack : acks) {
                ack.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not produce " + events.size() + " events", e);
        }
    }

    /**
     * The message ids a destination received, in arrival order, whatever its shape: a single message or item
     * ({@code messageId}, or Iterable's and Customer.io's {@code id}), or the items of a batch body
     * ({@code batch}, {@code events}, {@code users}).
     */
    @SuppressWarnings("unchecked")
    public static List<String> sentIds(List<RecordedRequest> requests) {
        List<String> ids = new ArrayList<>();
        for (RecordedRequest request : requests) {
            Map<String, Object> body = body(request);
            Object items = body.getOrDefault("batch", body.getOrDefault("events", body.get("users")));
            for (Object item : items instanceof List<?> list ? list : List.of(body)) {
                Map<String, Object> map = (Map<String, Object>) item;
                ids.add(String.valueOf(map.getOrDefault("messageId", map.get("id"))));
            }
        }
        return ids;
    }

    /**
     * Each profile's events reached the destination in the order produced: every attempt of an event (retries and
     * at-least-once duplicates included) came before the first attempt of the profile's next event.
     */
    public static void assertProfileOrder(List<String> sentIds, List<ActivationEvent> produced) {
        Map<String, List<String>> byProfile = new LinkedHashMap<>();
        produced.forEach(e -> byProfile.computeIfAbsent(e.activationId() + ":" + e.profileId(), k -> new ArrayList<>()).add(e.messageId()));
        byProfile.forEach((profile, ids) -> {
            for (int i = 0; i + 1 < ids.size(); i++) {
                int lastOfThis = sentIds.lastIndexOf(ids.get(i));
                int firstOfNext = sentIds.indexOf(ids.get(i + 1));
                if (firstOfNext >= 0 && lastOfThis > firstOfNext) {
                    throw new AssertionError("profile " + profile + ": " + ids.get(i + 1) + " was sent before the last attempt of " + ids.get(i));
                }
            }
        });
    }

    /** Writes {@code value} as JSON (the application's ObjectMapper) to this test run's {@code topic}; waits for the ack. */
    public static void send(String topic, String key, Object value) {
        var config = ConfigProvider.getConfig();
        Map<String, Object> producerConfig = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.getValue("kafka.bootstrap.servers", String.class),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (var producer = new KafkaProducer<String, String>(producerConfig)) {
            producer.send(new ProducerRecord<>(topic(topic), key, json().writeValueAsString(value))).get();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        } catch (Exception e) {
            throw new IllegalStateException("could not write to " + topic(topic), e);
        }
    }

    /** Every record value on this test run's {@code topic} so far, as parsed JSON. */
    public static List<JsonPath> published(String topic) {
        var config = ConfigProvider.getConfig();
        Map<String, Object> consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.getValue("kafka.bootstrap.servers", String.class),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<JsonPath> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, String>(consumerConfig)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic(topic)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(JsonPath.from(record.value()));
                }
            }
        }
        return values;
    }

    /** The stored row of an event, column name to value; empty when there is none. */
    public static Map<String, Object> row(String messageId) {
        List<Map<String, Object>> rows = rows("select * from delivery_event where message_id = ?", messageId);
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }

    public static void awaitStatus(ActivationEvent event, String status) {
        await().atMost(PATIENCE).until(() -> status.equals(row(event.messageId()).get("status")));
    }

    /** Waits until every one of {@code events} is in {@code status} (one query per poll, not one wait per event). */
    public static void awaitAllStatus(List<ActivationEvent> events, String status) {
        String[] ids = events.stream().map(ActivationEvent::messageId).toArray(String[]::new);
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() ->
                count("select count(*) from delivery_event where message_id = any(?) and status = ?", ids, status) == ids.length);
    }

    /** The number of rows that {@code sql} (a {@code select count(*)}) counts. */
    public static long count(String sql, Object... parameters) {
        return ((Number) rows(sql, parameters).get(0).values().iterator().next()).longValue();
    }

    /** The ids ({@code id} = messageId) of the track requests the destination received, in arrival order. */
    public static List<String> trackedIds(List<RecordedRequest> requests) {
        return requests.stream().filter(r -> r.path().equals("/api/events/track"))
                .map(r -> (String) body(r).get("id")).toList();
    }

    public static Map<String, Object> body(RecordedRequest request) {
        try {
            return json().readValue(request.body(), new TypeReference<>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not JSON: " + request.body(), e);
        }
    }

    /**
     * The delivery overview for {@code query} (audienceId and optional filters), read as a read-only user. Checks the
     * invariant of events.md on every overview: events from audience = the sum of the five steps.
     */
    public static JsonPath overview(Map<String, ?> query) {
        JsonPath overview = given().auth().oauth2(Tokens.forRole(Roles.READ_ONLY)).queryParams(query)
                .get("/api/v1/delivery-overview")
                .then().statusCode(200).extract().jsonPath();
        long sum = overview.getLong("steps.filteredAtSource") + overview.getLong("steps.filteredAtDestination")
                + overview.getLong("steps.pendingRetry") + overview.getLong("steps.failedDelivery")
                + overview.getLong("steps.successfulDelivery");
        assertEquals(sum, overview.getLong("steps.eventsFromAudience"), "events from audience = sum of the steps");
        return overview;
    }

    public static JsonPath overview(TestActivation activation) {
        return overview(Map.of("audienceId", activation.audienceId()));
    }

    /** The failed event is listed among its audience's dead letters, with its reason and attempts, and no payload. */
    public static void assertDeadLetter(TestActivation activation, ActivationEvent event, String reason, int attempts) {
        given().auth().oauth2(Tokens.forRole(Roles.ENGAGE_USER)).queryParam("audienceId", activation.audienceId())
                .get("/api/v1/delivery-overview/dead-letters")
                .then().statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].messageId", equalTo(event.messageId()))
                .body("items[0].activationId", equalTo(activation.activationId()))
                .body("items[0].reason", equalTo(reason))
                .body("items[0].attempts", equalTo(attempts))
                .body("items[0].createdAt", notNullValue())
                .body("items[0]", not(hasKey("payload")))
                .body("nextCursor", nullValue());
    }

    /**
     * A request to the management interface, where health and metrics are (not on the API port); its port is free
     * and chosen at start in tests (quarkus.management.test-port=0), and the configuration then holds the one bound.
     */
    public static RequestSpecification management() {
        return given().port(ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class));
    }

    /** The value of the {@code la_delivery_events} series of {@code activationId} and {@code step}, or null. */
    public static Double deliveryEventsGauge(String activationId, String step) {
        String metrics = management().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines()
                .filter(line -> line.startsWith("la_delivery_events{") && line.contains("activation_id=\"" + activationId + "\"")
                        && line.contains("step=\"" + step + "\""))
                .map(line -> Double.valueOf(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(null);
    }

    /** Runs one statement that returns no rows (an insert, as a consumer would have stored something). */
    public static void execute(String sql, Object... parameters) {
        try (Connection connection = LocalPostgres.connect(DATABASE);
             PreparedStatement statement = prepare(connection, sql, parameters)) {
            statement.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Map<String, Object>> rows(String sql, Object... parameters) {
        try (Connection connection = LocalPostgres.connect(DATABASE);
             PreparedStatement statement = prepare(connection, sql, parameters);
             ResultSet result = statement.executeQuery()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            ResultSetMetaData meta = result.getMetaData();
            while (result.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    row.put(meta.getColumnLabel(c), result.getObject(c));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }

    private static String topic(String name) {
        return ConfigProvider.getConfig().getValue("la.topic-prefix", String.class) + name;
    }

    private static ObjectMapper json() {
        return Arc.container().instance(ObjectMapper.class).get();
    }

    private DeliveryFixtures() {
    }
}
