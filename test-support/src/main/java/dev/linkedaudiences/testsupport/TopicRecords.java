package dev.linkedaudiences.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Reads and writes the JSON records of a real topic, as another service would. Topic names are given without
 * the test run's prefix ({@code la.topic-prefix} of the application under test), which is added here.
 */
public final class TopicRecords {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** The real name of topic {@code name} in this test run. */
    public static String topic(String name) {
        return ConfigProvider.getConfig().getOptionalValue("la.topic-prefix", String.class).orElse("") + name;
    }

    /** A record's key and JSON value. */
    public record Record(String key, String value) {
    }

    /**
     * Reads the topic from its beginning until {@code enough} holds for what was read, or the timeout passes;
     * answers everything read.
     */
    public static List<Record> readUntil(String name, Predicate<List<Record>> enough, Duration timeout) {
        List<Record> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalKafka.BOOTSTRAP,
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic(name)));
            Instant deadline = Instant.now().plus(timeout);
            while (!enough.test(records) && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    records.add(new Record(r.key(), r.value()));
                }
            }
        }
        return records;
    }

    /** Sends {@code value} as JSON (a String is sent as it is) and waits for the broker's acknowledgement. */
    public static void send(String name, String key, Object value) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalKafka.BOOTSTRAP), new StringSerializer(), new StringSerializer())) {
            String json = value instanceof String text ? text : JSON.writeValueAsString(value);
            producer.send(new ProducerRecord<>(topic(name), key, json)).get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + topic(name), e);
        }
    }

    /** Parses a record's JSON value. */
    public static <T> T read(Record record, Class<T> type) {
        try {
            return JSON.readValue(record.value(), type);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable record " + record, e);
        }
    }

    private TopicRecords() {
    }
}
