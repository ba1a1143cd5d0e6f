package dev.linkedaudiences.delivery.destination;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A {@link BatchSender} without the application, for tests of one destination against a real local server: plain
 * http to 127.0.0.1 allowed, a 5-second timeout, fresh rate limits. Close it after the test.
 */
public final class TestSender implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final WebClient client = WebClient.create(vertx);
    private final ObjectMapper json = new ObjectMapper();
    private final BatchSender sender;

    public TestSender() {
        this(5000);
    }

    public TestSender(long timeoutMillis) {
        sender = new BatchSender(new JsonPost(client, json, timeoutMillis), new RateLimits(),
                new UrlPolicy(true, List.of("127.0.0.1")), vertx, Duration.ofSeconds(1), new SimpleMeterRegistry());
    }

    public DeliveryResult send(Destination destination, String action, Map<String, Object> message, Map<String, String> settings) {
        return sendAll(destination, action, List.of(message), settings).get(0);
    }

    public List<DeliveryResult> sendAll(Destination destination, String action, List<Map<String, Object>> messages,
                                        Map<String, String> settings) {
        List<OutgoingMessage> outgoing = messages.stream().map(message -> OutgoingMessage.of(message, json)).toList();
        return sender.send(destination, "destination-1", action, outgoing, settings).await().atMost(Duration.ofSeconds(30));
    }

    @Override
    public void close() {
        client.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
