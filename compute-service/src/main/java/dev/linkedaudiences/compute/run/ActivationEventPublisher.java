package dev.linkedaudiences.compute.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.compute.ComputeConfig;
import dev.linkedaudiences.compute.message.ActivationMessages;
import dev.linkedaudiences.contracts.Topics;
import dev.linkedaudiences.contracts.event.ActivationEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes a run's events on activation-events with backpressure: at most {@code compute.max-in-flight-events}
 * are sent and not yet acknowledged; the next send waits for an acknowledgement. A run's memory therefore does not
 * grow with its size, and no buffer overflows however fast the warehouse pages arrive (the messaging emitter's
 * did: SRMSG00034 with a few thousand events handed over at once).
 * <p>
 * A plain Kafka producer, as delivery-service's outcomes (docs/adr/0006): idempotent with {@code acks=all} (the
 * client's defaults), so a profile's events keep their order within their partition.
 */
@ApplicationScoped
public class ActivationEventPublisher {
    private final KafkaProducer<String, byte[]> producer;
    private final ObjectMapper json;
    private final String topic;
    private final int maxInFlight;
    private final Duration acknowledgementTimeout;

    public ActivationEventPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafka, ObjectMapper json,
                                    @ConfigProperty(name = "la.topic-prefix") Optional<String> prefix, ComputeConfig config) {
        this.json = json;
        this.topic = prefix.orElse("") + Topics.ACTIVATION_EVENTS;
        this.maxInFlight = config.maxInFlightEvents();
        // the producer gives up on a record after delivery.timeout.ms (2 minutes by default); wait a little longer
        this.acknowledgementTimeout = Duration.ofMinutes(3);
        Map<String, Object> settings = new HashMap<>(kafka); // bootstrap servers and security, as every channel has
        settings.keySet().retainAll(ProducerConfig.configNames());
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "activation-events");
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        this.producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
    }

    /** A new publication: one per run, used by the run's thread only. */
    public Publication start() {
        return new Publication();
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }

    /**
     * The events of one run: {@link #send} as they are built, then {@link #awaitAcknowledged()} before promotion.
     * Not final: the streaming tests make one fail in the middle of a run.
     */
    public class Publication {
        private final Semaphore window = new Semaphore(maxInFlight);
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private long sent;

        /** Sends the event (those filtered at source as their envelope only), after waiting for room in the window. */
        public void send(ActivationEvent event) {
            acquire(1);
            ActivationEvent record = ActivationMessages.forTransport(event);
            try {
                producer.send(new ProducerRecord<>(topic, record.partitionKey(), bytes(record)), (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                    window.release();
                });
            } catch (RuntimeException e) {
                window.release();
                throw e;
            }
            sent++;
        }

        /** How many events were handed to the producer. */
        public long sent() {
            return sent;
        }

        /** Returns once Kafka acknowledged every event sent; throws if it refused any. */
        public void awaitAcknowledged() {
            acquire(maxInFlight);
            window.release(maxInFlight);
            throwIfFailed();
        }

        private void acquire(int permits) {
            throwIfFailed();
            try {
                if (!window.tryAcquire(permits, acknowledgementTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("Kafka acknowledged no event of the run for " + acknowledgementTimeout.toMinutes() + " minutes");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while publishing the run's events", e);
            }
            throwIfFailed();
        }

        private void throwIfFailed() {
            Exception error = failure.get();
            if (error != null) {
                throw new IllegalStateException("Kafka refused an event of the run: " + error.getMessage(), error);
            }
        }
    }

    private byte[] bytes(ActivationEvent event) {
        try {
            return json.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
