package dev.linkedaudiences.alerting;

import dev.linkedaudiences.contracts.event.RunCompleted;
import dev.linkedaudiences.testsupport.LocalPostgres;
import dev.linkedaudiences.testsupport.TopicRecords;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

import static org.awaitility.Awaitility.await;

/**
 * The outside world of the alerting tests: records written to the real broker, as compute-service and
 * delivery-service would, and a look at what the service stored in its test database.
 */
public final class AlertingFixtures {
    /** The database {@code LocalInfrastructure} recreates for the alerting tests (one boot for all test classes). */
    public static final String DATABASE = "alerting_test";

    /** Writes {@code value} as JSON to {@code topic} under this test run's prefix, and waits for the broker's ack. */
    public static void send(String topic, String key, Object value) {
        TopicRecords.send(topic, key, value);
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
