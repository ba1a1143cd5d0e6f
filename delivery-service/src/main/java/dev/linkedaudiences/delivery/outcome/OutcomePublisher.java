package dev.linkedaudiences.delivery.outcome;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.contracts.Topics;
import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.contracts.event.DeliveryOutcome;
import dev.linkedaudiences.delivery.DeliveryConfig;
import dev.linkedaudiences.delivery.destination.OutgoingMessage;
import dev.linkedaudiences.delivery.event.DeliveryEvent;
import dev.linkedaudiences.delivery.event.DeliveryStatus;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes an event's final step on delivery-outcomes (keyed by activation id), and a failed event on
 * activation-events-dlq (keyed by activation id + profile id). The dispatcher publishes the events a pass finished,
 * the {@link OutcomeRelay} every other final event; either marks them {@code outcome_published} once the broker
 * acknowledged.
 * <p>
 * A plain Kafka producer rather than a messaging emitter: there is one outcome per event, and the emitter's work for
 * every message (its own Uni, metadata and context propagation on completion) took a fifth of the service's CPU at
 * 17,000 events/s (docs/adr/0006). The producer is idempotent with {@code acks=all} (the client's defaults).
 * <p>
 * The producer blocks while it has no metadata (the broker is down), so records are handed to it on a worker thread,
 * never on an event loop, and it blocks {@code delivery.outcome-max-block} at most. While the broker is away,
 * {@link #brokerAvailable()} tells the passes to leave their outcomes to the relay, which keeps trying.
 */
@ApplicationScoped
public class OutcomePublisher {
    /** How long a publish waits for the broker's acknowledgements; then its outcomes are left to the relay. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);

    private final KafkaProducer<String, byte[]> producer;
    private final ObjectMapper json;
    private final String outcomesTopic;
    private final String deadLettersTopic;
    /** False from a failed publish until one succeeds. */
    private volatile boolean brokerAvailable = true;

    public OutcomePublisher(@Identifier("default-kafka-broker") Map<String, Object> kafka, ObjectMapper json,
                            @ConfigProperty(name = "la.topic-prefix") Optional<String> prefix, DeliveryConfig delivery) {
        // Optional, not defaultValue = "": MicroProfile Config treats an empty default as no value and fails at startup
        String topicPrefix = prefix.orElse("");
        this.json = json;
        this.outcomesTopic = topicPrefix + Topics.DELIVERY_OUTCOMES;
        this.deadLettersTopic = topicPrefix + Topics.ACTIVATION_EVENTS_DLQ;
        Map<String, Object> config = new HashMap<>(kafka); // bootstrap servers and security, as every channel has
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "delivery-outcomes");
        // Fuller produce requests: a pass publishes up to a batch of outcomes at once.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, delivery.outcomeMaxBlock().toMillis());
        this.producer = new KafkaProducer<>(keepProducerSettings(config), new StringSerializer(), new ByteArraySerializer());
    }

    /** Whether the last publish succeeded: if not, the broker is probably down and the relay will publish. */
    public boolean brokerAvailable() {
        return brokerAvailable;
    }

    /**
     * Completes when the broker acknowledged every one of them (a failed event: its outcome and its dead letter), on
     * the caller's Vert.x context; fails at the first record refused, or after {@link #ACK_TIMEOUT}.
     */
    public Uni<Void> publishAll(List<DeliveryEvent> finished) {
        if (finished.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Context caller = Vertx.currentContext();
        return Uni.createFrom().item(() -> send(finished))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(acknowledged -> Uni.createFrom().completionStage(acknowledged))
                .ifNoItem().after(ACK_TIMEOUT).fail()
                .invoke(() -> brokerAvailable = true)
                .onFailure().invoke(() -> brokerAvailable = false)
                .emitOn(caller == null ? Runnable::run : task -> caller.runOnContext(ignored -> task.run()));
    }

    /** Hands the records to the producer (blocking while it has no metadata); completes on the last acknowledgement. */
    private CompletableFuture<Void> send(List<DeliveryEvent> finished) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        int records = finished.size() + (int) finished.stream().filter(OutcomePublisher::failed).count();
        AtomicInteger awaited = new AtomicInteger(records);
        Callback onAck = (metadata, error) -> {
            if (error != null) {
                acknowledged.completeExceptionally(error);
            } else if (awaited.decrementAndGet() == 0) {
                acknowledged.complete(null);
            }
        };
        try {
            for (DeliveryEvent event : finished) {
                if (acknowledged.isCompletedExceptionally()) {
                    break; // each further record would wait for the metadata again
                }
                DeliveryOutcome outcome = new DeliveryOutcome(event.messageId, event.activationId, event.audienceId,
                        event.eventName, event.status, event.reason, event.finishedAt != null ? event.finishedAt : Instant.now());
                producer.send(new ProducerRecord<>(outcomesTopic, event.activationId, bytes(outcome)), onAck);
                if (failed(event)) {
                    ActivationEvent deadLetter = new ActivationEvent(event.activationId, event.audienceId, event.runId,
                            event.profileId, event.trigger, OutgoingMessage.ofJson(event.payload, json).fields());
                    producer.send(new ProducerRecord<>(deadLettersTopic, deadLetter.partitionKey(), bytes(deadLetter)), onAck);
                }
            }
        } catch (RuntimeException e) {
            acknowledged.completeExceptionally(e);
        }
        return acknowledged;
    }

    private static boolean failed(DeliveryEvent event) {
        return DeliveryStatus.FAILED.value.equals(event.status);
    }

    private byte[] bytes(Object record) {
        try {
            return json.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The broker-wide {@code kafka.*} settings minus those that only a consumer takes (a producer warns about them). */
    private static Map<String, Object> keepProducerSettings(Map<String, Object> config) {
        config.keySet().retainAll(ProducerConfig.configNames());
        return config;
    }

    /** Waits a little for records in flight, not forever: the broker may be down. */
    @PreDestroy
    void close() {
        producer.close(ACK_TIMEOUT);
    }
}
