package dev.linkedaudiences.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.linkedaudiences.contracts.Topics;
import dev.linkedaudiences.contracts.event.ActivationChanged;
import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.contracts.event.DeliveryOutcome;
import dev.linkedaudiences.testsupport.LocalKafka;
import dev.linkedaudiences.testsupport.LocalPostgres;
import dev.linkedaudiences.testsupport.RecordingHttpServer;
import dev.linkedaudiences.testsupport.RecordingHttpServer.RecordedRequest;
import dev.linkedaudiences.testsupport.Tokens;
import dev.linkedaudiences.testsupport.TopicRecords;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two delivery-service processes on one database, in one Kafka consumer group, fed activation events straight on
 * activation-events (keyed {@code activationId:profileId}, as compute-service does) for a batched webhook played by a
 * recording server. Both instances consume and send a share; one is stopped mid-stream, a third one joins and is
 * killed (SIGKILL) mid-stream, so the group rebalances twice while events flow. In the end every event was delivered
 * (a redelivery repeats a message id, never invents one), each profile's events were first delivered in the order
 * they were produced, the delivery overview adds up, and every outcome was published. Then the destination is
 * down for a minute, the instance left is killed in the middle of it and a replacement takes over: the same holds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeliveryScaleOutIT {
    private static final Path ROOT = Path.of(System.getProperty("la.repo.root", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final String DATABASE = "scale_delivery";
    /** Six partitions for the six consumers of two instances (three each): each instance holds a share. */
    private static final int PARTITIONS = 6;
    private static final int PROFILES = 600;
    /** Each round produces one event per profile, with the round as the profile's sequence number. */
    private static final int ROUNDS = 7;
    private static final int FILTERED_AT_SOURCE = 30;
    private static final int FILTERED_AT_DESTINATION = 50;
    private static final String EVENTS_CLIENT = "client_id=\"kafka-consumer-activation-events";

    private static final String AUDIENCE_ID = UUID.randomUUID().toString();
    private static final String ACTIVATION_ID = UUID.randomUUID().toString();
    private static final String DISABLED_ACTIVATION_ID = UUID.randomUUID().toString();

    private static final List<ServiceProcess> instances = new ArrayList<>();
    private static RecordingHttpServer webhook;
    private static KafkaProducer<String, String> producer;
    private static String prefix;
    private static Map<String, String> instanceConfig;

    @BeforeAll
    static void startTwoInstances() throws Exception {
        prefix = LocalKafka.createTopicsWithFreshPrefix();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LocalKafka.BOOTSTRAP))) {
            admin.createPartitions(Map.of(prefix + Topics.ACTIVATION_EVENTS, NewPartitions.increaseTo(PARTITIONS)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        LocalPostgres.recreateDatabase(DATABASE);
        webhook = RecordingHttpServer.start();
        // A destination that takes 200 ms to answer, and a low rate limit (5 requests/s of 100 per instance): a
        // backlog builds up, so an instance stopped or killed is likely to hold claimed events and requests in flight.
        webhook.delayNext(1_000, 200);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalKafka.BOOTSTRAP,
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new StringSerializer());
        instanceConfig = ServiceProcess.serviceConfig(DATABASE, null, prefix, Map.of(
                "delivery.url-policy.allow-http", "true",
                "delivery.url-policy.allowed-hosts", "127.0.0.1",
                // A group of this run only, so members of other runs on the shared broker do not take partitions.
                "mp.messaging.incoming.activation-events.group.id", "delivery-scale-" + prefix,
                // A killed member is noticed after 6 s (the broker's minimum) instead of the default 45 s.
                "mp.messaging.incoming.activation-events.session.timeout.ms", "6000",
                "mp.messaging.incoming.activation-events.heartbeat.interval.ms", "1000",
                // Retries at most 5 s apart, so the outage's backlog goes out soon after the destination is back.
                "delivery.backoff-cap", "PT5S"));
        ServiceProcess a = startInstance();
        ServiceProcess b = startInstance();
        a.awaitReady(Duration.ofSeconds(90));
        b.awaitReady(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() {
        instances.forEach(ServiceProcess::close);
        if (producer != null) {
            producer.close();
        }
        if (webhook != null) {
            webhook.close();
        }
    }

    private static ServiceProcess startInstance() {
        ServiceProcess instance = ServiceProcess.start(ROOT, "delivery-service", instanceConfig);
        instances.add(instance);
        return instance;
    }

    @Test
    @Order(1)
    void twoInstancesShareTheWorkAndLoseNothingAcrossRebalances() throws Exception {
        ServiceProcess a = instances.get(0);
        ServiceProcess b = instances.get(1);
        TopicRecords.send(prefix + Topics.ACTIVATION_DEFINITIONS, ACTIVATION_ID, activation(ACTIVATION_ID, true));
        TopicRecords.send(prefix + Topics.ACTIVATION_DEFINITIONS, DISABLED_ACTIVATION_ID, activation(DISABLED_ACTIVATION_ID, false));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from activation_state") == 2);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                assignedPartitions(a) > 0 && assignedPartitions(b) > 0 && assignedPartitions(a) + assignedPartitions(b) == PARTITIONS);

        // Events that are counted but never sent: compute-service's payload_too_large, and a disabled activation's.
        for (int i = 0; i < FILTERED_AT_SOURCE; i++) {
            produce(new ActivationEvent(ACTIVATION_ID, AUDIENCE_ID, "run-1", profile(i), "profile_entered",
                    message("too-large-" + i, profile(i), 0), "payload_too_large"));
        }
        for (int i = 0; i < FILTERED_AT_DESTINATION; i++) {
            produce(new ActivationEvent(DISABLED_ACTIVATION_ID, AUDIENCE_ID, "run-1", profile(i), "profile_entered",
                    message("disabled-" + i, profile(i), 0)));
        }
        produceRound(1);
        produceRound(2);
        await().atMost(Duration.ofSeconds(60)).until(() -> consumed(a) > 0 && consumed(b) > 0 && sentRequests(a) > 0 && sentRequests(b) > 0);
        String shares = String.format("before the rebalances: a consumed %.0f records and sent %.0f requests, b %.0f and %.0f",
                consumed(a), sentRequests(a), consumed(b), sentRequests(b));

        // Mid-stream: b stops gracefully right after a round was produced, while the next one is on its way.
        produceRound(3);
        b.close();
        long pendingWhenStopped = count("select count(*) from delivery_event where status = 'pending'");
        produceRound(4);

        // A third instance joins (a rebalance), takes a share, and is killed without warning mid-stream.
        ServiceProcess c = startInstance();
        c.awaitReady(Duration.ofSeconds(90));
        await().atMost(Duration.ofSeconds(60)).until(() -> assignedPartitions(c) > 0);
        produceRound(5);
        await().atMost(Duration.ofSeconds(30)).until(() -> consumed(c) > 0);
        produceRound(6);
        c.kill();
        long pendingWhenKilled = count("select count(*) from delivery_event where status = 'pending'");
        produceRound(7);

        int[] counts = assertEveryEventDeliveredInOrderAndCounted(a, ROUNDS);
        System.out.printf("delivery scale-out: %s; pending when b stopped %d, when c was killed %d; %d events delivered"
                        + " in %d requests, %d redelivered; %d outcomes%n", shares, pendingWhenStopped, pendingWhenKilled,
                counts[0], webhook.requests().size(), counts[1], counts[2]);
    }

    @Test
    @Order(2)
    void anInstanceKilledDuringAMinuteLongOutageLosesNothing() throws Exception {
        ServiceProcess a = instances.get(0); // the one left running by the first test
        webhook.down(503);
        Instant outageStart = Instant.now();
        produceRound(ROUNDS + 1);
        produceRound(ROUNDS + 2);
        int failedBefore = webhook.requests().size();
        await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from delivery_event where status = 'pending'") == 2 * PROFILES
                && webhook.requests().size() > failedBefore);
        a.kill();
        ServiceProcess d = startInstance(); // a replacement, as Kubernetes would start
        d.awaitReady(Duration.ofSeconds(90));
        long left = Duration.ofSeconds(60).minus(Duration.between(outageStart, Instant.now())).toMillis();
        if (left > 0) {
            Thread.sleep(left);
        }
        long pendingAtTheEnd = count("select count(*) from delivery_event where status = 'pending'");
        webhook.up();

        int[] counts = assertEveryEventDeliveredInOrderAndCounted(d, ROUNDS + 2);
        System.out.printf("delivery outage: %d s down, %d pending when it ended, the instance killed mid-outage; %d events"
                        + " delivered, %d redelivered%n", Duration.between(outageStart, Instant.now()).toSeconds(), pendingAtTheEnd,
                counts[0], counts[1]);
    }

    /**
     * After {@code rounds} rounds: every event delivered, a message id only ever the one its (profile, sequence) was
     * produced with, each profile's events first delivered in order, the overview adding up, every outcome published.
     * Answers {events delivered, redeliveries, outcomes}.
     */
    private static int[] assertEveryEventDeliveredInOrderAndCounted(ServiceProcess overview, int rounds) throws Exception {
        int deliverable = PROFILES * rounds;
        int total = deliverable + FILTERED_AT_SOURCE + FILTERED_AT_DESTINATION;
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> firstDeliveries(webhook.requests()).size() == deliverable);
        List<Delivered> deliveries = deliveries(webhook.requests());

        // Every event delivered; a message id is only ever the one its (profile, sequence) was produced with.
        Set<String> distinct = new HashSet<>();
        for (Delivered delivered : deliveries) {
            assertEquals(messageId(delivered.profileId(), delivered.sequence()), delivered.messageId(), "a redelivery keeps its message id");
            assertTrue(delivered.sequence() >= 1 && delivered.sequence() <= rounds, "only produced events are sent: " + delivered);
            distinct.add(delivered.messageId());
        }
        assertEquals(deliverable, distinct.size());

        // Order: no event of a profile is delivered before every earlier event of that profile was delivered once.
        Map<String, Integer> deliveredUpTo = new HashMap<>();
        List<String> outOfOrder = new ArrayList<>();
        for (Delivered delivered : deliveries) {
            int upTo = deliveredUpTo.getOrDefault(delivered.profileId(), 0);
            if (delivered.sequence() == upTo + 1) {
                deliveredUpTo.put(delivered.profileId(), delivered.sequence());
            } else if (delivered.sequence() > upTo + 1) {
                outOfOrder.add(delivered.messageId() + " before sequence " + (upTo + 1) + " was delivered");
            }
        }
        assertEquals(List.of(), outOfOrder);

        // The overview adds up: every event in exactly one step, none twice, none pending.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonPath steps = RestAssured.given().baseUri(overview.baseUrl()).header("Authorization", "Bearer " + Tokens.forRole("read_only"))
                    .get("/api/v1/delivery-overview?audienceId=" + AUDIENCE_ID).then().statusCode(200).extract().jsonPath().setRootPath("steps");
            assertEquals(0, steps.getInt("pendingRetry"));
            assertEquals(total, steps.getInt("eventsFromAudience"));
            assertEquals(FILTERED_AT_SOURCE, steps.getInt("filteredAtSource"));
            assertEquals(FILTERED_AT_DESTINATION, steps.getInt("filteredAtDestination"));
            assertEquals(0, steps.getInt("failedDelivery"));
            assertEquals(deliverable, steps.getInt("successfulDelivery"));
        });

        // Every final step published on delivery-outcomes (a republished one repeats its message id).
        Set<String> outcomes = new HashSet<>();
        int[] parsed = {0}; // the predicate sees everything read so far: parse only what is new
        TopicRecords.readUntil(prefix + Topics.DELIVERY_OUTCOMES, read -> {
            read.subList(parsed[0], read.size()).forEach(r -> outcomes.add(TopicRecords.read(r, DeliveryOutcome.class).messageId()));
            parsed[0] = read.size();
            return outcomes.size() == total;
        }, Duration.ofSeconds(60));
        assertEquals(total, outcomes.size(), "one outcome per event on delivery-outcomes");
        assertEquals(0, count("select count(*) from delivery_event where not outcome_published"));

        return new int[]{deliverable, deliveries.size() - deliverable, outcomes.size()};
    }

    /** One message as the webhook received it, in the order received. */
    private record Delivered(String messageId, String profileId, int sequence) {
    }

    /** The messages of the requests the webhook accepted, in the order it received them. */
    private static List<Delivered> deliveries(List<RecordedRequest> requests) {
        List<Delivered> deliveries = new ArrayList<>();
        for (RecordedRequest request : requests.stream().filter(RecordedRequest::succeeded).toList()) {
            try {
                for (JsonNode message : JSON.readTree(request.body()).path("batch")) {
                    deliveries.add(new Delivered(message.path("messageId").asText(), message.path("userId").asText(),
                            message.path("properties").path("sequence").asInt()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return deliveries;
    }

    private static Set<String> firstDeliveries(List<RecordedRequest> requests) {
        Set<String> ids = new HashSet<>();
        deliveries(requests).forEach(d -> ids.add(d.messageId()));
        return ids;
    }

    private static void produceRound(int sequence) {
        for (int p = 0; p < PROFILES; p++) {
            String profileId = profile(p);
            produce(new ActivationEvent(ACTIVATION_ID, AUDIENCE_ID, "run-" + sequence, profileId, "profile_entered",
                    message(messageId(profileId, sequence), profileId, sequence)));
        }
        producer.flush();
    }

    private static void produce(ActivationEvent event) {
        try {
            producer.send(new ProducerRecord<>(prefix + Topics.ACTIVATION_EVENTS, event.partitionKey(), JSON.writeValueAsString(event)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String profile(int i) {
        return String.format("profile-%04d", i);
    }

    private static String messageId(String profileId, int sequence) {
        return "scale-" + profileId + "-" + sequence;
    }

    private static Map<String, Object> message(String messageId, String profileId, int sequence) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "track");
        message.put("event", "Audience Entered");
        message.put("messageId", messageId);
        message.put("timestamp", "2026-11-24T08:00:00Z");
        message.put("userId", profileId);
        message.put("properties", Map.of("audience_key", "scale", "sequence", sequence));
        return message;
    }

    private static ActivationChanged activation(String id, boolean enabled) {
        return new ActivationChanged(id, AUDIENCE_ID, "scale", "profile_entered", "Audience Entered", null,
                new ActivationChanged.Enrichment(List.of()), false, enabled, "valid", false,
                new ActivationChanged.Destination("webhook-1", "webhook", "send",
                        Map.of("url", webhook.baseUrl() + "/hook", "secret", "scale-secret", "bulk", "true", "rateLimit.batch", "5")),
                Instant.now());
    }

    private static double assignedPartitions(ServiceProcess instance) {
        return metric(instance, "kafka_consumer_coordinator_assigned_partitions", EVENTS_CLIENT);
    }

    private static double consumed(ServiceProcess instance) {
        return metric(instance, "kafka_consumer_fetch_manager_records_consumed_total", EVENTS_CLIENT);
    }

    private static double sentRequests(ServiceProcess instance) {
        return metric(instance, "la_delivery_requests_total", "endpoint=\"batch\"");
    }

    /** The sum of the instance's series of {@code name} whose labels contain {@code label} (per-topic series excluded). */
    private static double metric(ServiceProcess instance, String name, String label) {
        return RestAssured.get(instance.managementUrl() + "/q/metrics").asString().lines()
                .filter(line -> line.startsWith(name + "{") && line.contains(label) && !line.contains("topic="))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static long count(String sql) throws Exception {
        try (Connection c = LocalPostgres.connect(DATABASE); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
