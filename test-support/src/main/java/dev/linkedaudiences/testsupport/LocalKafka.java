package dev.linkedaudiences.testsupport;

import dev.linkedaudiences.contracts.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The real broker that {@code bin/infra up} runs. Each test run gets its own topics under a fresh prefix,
 * so that runs never read each other's (or the demo's) records.
 */
public final class LocalKafka {
    public static final String BOOTSTRAP = System.getenv().getOrDefault("LA_KAFKA_BOOTSTRAP", "127.0.0.1:9092");

    /** Creates every topic of {@link Topics#ALL} under a new prefix and returns the prefix. */
    public static String createTopicsWithFreshPrefix() {
        String prefix = "test-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15000))) {
            List<NewTopic> topics = Topics.ALL.stream().map(name -> Topics.COMPACTED.contains(name)
                    ? new NewTopic(prefix + name, 1, (short) 1).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))
                    : new NewTopic(prefix + name, 3, (short) 1)).toList();
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka at " + BOOTSTRAP + " is not reachable; run bin/infra up", e);
        }
        return prefix;
    }

    private LocalKafka() {
    }
}
