package dev.linkedaudiences.delivery.outcome;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.contracts.Topics;
import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.contracts.event.DeliveryOutcome;
import dev.linkedaudiences.delivery.destination.OutgoingMessage;
import dev.linkedaudiences.delivery.event.DeliveryEvent;
import dev.linkedaudiences.delivery.event.DeliveryStatus;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
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
 */
@ApplicationScoped
public class OutcomePublisher {
    private final KafkaProducer<String, byte[]> producer;
    private final ObjectMapper json;
    private final String outcomesTopic;
    private final String deadLettersTopic;

    public OutcomePublisher(@Identifier("default-kafka-broker") Map<String, Object> kafka, ObjectMapper json,
                            @ConfigProperty(name = "la.topic-prefix") Optional<String> prefix) {
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
        this.producer = new KafkaProducer<>(keepProducerSettings(config), new StringSerializer(), new ByteArraySerializer());
    }

    /** Completes when the broker acknowledged every one of them (a failed event: its outcome and its dead letter). */
    public Uni<Void> publishAll(List<DeliveryEvent> finished) {
        if (finished.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
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
        return Uni.createFrom().completionStage(acknowledged);
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

    @PreDestroy
    void close() {
        producer.close();
    }
}
