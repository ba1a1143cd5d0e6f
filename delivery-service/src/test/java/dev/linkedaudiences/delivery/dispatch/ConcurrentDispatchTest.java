package dev.linkedaudiences.delivery.dispatch;

import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.delivery.DeliveryFixtures;
import dev.linkedaudiences.delivery.DeliveryFixtures.TestActivation;
import dev.linkedaudiences.testsupport.LocalInfrastructure;
import dev.linkedaudiences.testsupport.RecordingHttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.linkedaudiences.delivery.DeliveryFixtures.PATIENCE;
import static dev.linkedaudiences.delivery.DeliveryFixtures.activation;
import static dev.linkedaudiences.delivery.DeliveryFixtures.assertProfileOrder;
import static dev.linkedaudiences.delivery.DeliveryFixtures.awaitAllStatus;
import static dev.linkedaudiences.delivery.DeliveryFixtures.overview;
import static dev.linkedaudiences.delivery.DeliveryFixtures.produceAll;
import static dev.linkedaudiences.delivery.DeliveryFixtures.sentIds;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Passes of several dispatchers at once (as two instances would run them: the application's own, plus three loops
 * claiming beside it) on one database: SKIP LOCKED never lets two of them claim one event, and a profile's events
 * still go one after the other.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = DeliveryFixtures.DATABASE))
class ConcurrentDispatchTest {
    @Inject
    Dispatcher dispatcher;

    @Test
    void concurrentPassesNeverSendAnEventTwiceNorOutOfOrder() throws Exception {
        try (RecordingHttpServer server = RecordingHttpServer.start()) {
            TestActivation activation = activation("webhook", "send",
                    Map.of("url", server.baseUrl() + "/hook", "secret", "s", "rateLimit.send", "100000"));
            List<ActivationEvent> events = new ArrayList<>();
            for (int n = 0; n < 6; n++) {
                for (int p = 0; p < 50; p++) {
                    events.add(activation.event("p" + p));
                }
            }
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger claimed = new AtomicInteger();
            List<Thread> others = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Thread other = new Thread(() -> {
                    while (!done.get()) {
                        claimed.addAndGet(dispatcher.dispatchBatch().await().atMost(Duration.ofSeconds(30)));
                    }
                });
                other.start();
                others.add(other);
            }
            try {
                produceAll(events);
                awaitAllStatus(events, "successful");
            } finally {
                done.set(true);
                for (Thread other : others) {
                    other.join(PATIENCE.toMillis());
                }
            }

            List<String> sent = sentIds(server.requests());
            assertEquals(300, sent.size(), "every event sent once");
            assertEquals(300, new HashSet<>(sent).size());
            assertProfileOrder(sent, events);
            assertEquals(300, overview(activation).getInt("steps.successfulDelivery"));
        }
    }
}
