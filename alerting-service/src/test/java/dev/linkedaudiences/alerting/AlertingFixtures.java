package dev.linkedaudiences.alerting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.linkedaudiences.contracts.event.RunCompleted;
import dev.linkedaudiences.testsupport.LocalPostgres;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * The outside world of the alerting tests: records written to the real broker, as compute-service and
 * delivery-service would, and a look at what the service stored in its test database.
 */
public final class AlertingFixtures {
    /** The database {@code LocalInfrastructure} recreates for the alerting tests (one boot for all test classes). */
    public static final String DATABASE = "alerting_test";

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** Writes {@code value} as JSON to {@code topic} under this test run's prefix, and waits for the broker's ack. */
    public static void send(String topic, String key, Object value) {
        var config = ConfigProvider.getConfig();
        String prefix = config.getValue("la.topic-prefix", String.class);
        Map<String, Object> producerConfig = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.getValue("kafka.bootstrap.servers", String.class),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (var producer = new KafkaProducer<String, String>(producerConfig)) {
            producer.send(new ProducerRecord<>(prefix + topic, key, JSON.writeValueAsString(value))).get();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        } catch (Exception e) {
            throw new IllegalStateException("could not write to " + prefix + topic, e);
        }
    }

    /** A successful run of {@code audienceId} (key {@code key-<audienceId>}) that found {@code size} profiles. */
    public static RunCompleted succeeded(String runId, String audienceId, long size, Instant finishedAt) {
        return new RunCompleted(runId, audienceId, "key-" + audienceId, "succeeded", size, 0, 0, null,
                finishedAt.minusSeconds(30), finishedAt);
    }

    /** The number of rows that {@code sql} (a {@code select count(*)}) counts. */
    public static long count(String sql, Object... parameters) {
        try (Connection connection = LocalPostgres.connect(DATABASE);
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the service stored run {@code runId}: stored and evaluated share one transaction. */
    public static void awaitStored(String runId) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> count("select count(*) from run_result where run_id = ?", runId) == 1);
    }

    private AlertingFixtures() {
    }
}
