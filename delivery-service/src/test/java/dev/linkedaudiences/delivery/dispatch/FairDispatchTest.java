package dev.linkedaudiences.delivery.dispatch;

import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.delivery.DeliveryFixtures;
import dev.linkedaudiences.delivery.DeliveryFixtures.TestActivation;
import dev.linkedaudiences.testsupport.LocalInfrastructure;
import dev.linkedaudiences.testsupport.RecordingHttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.linkedaudiences.delivery.DeliveryFixtures.activation;
import static dev.linkedaudiences.delivery.DeliveryFixtures.assertProfileOrder;
import static dev.linkedaudiences.delivery.DeliveryFixtures.awaitAllStatus;
import static dev.linkedaudiences.delivery.DeliveryFixtures.count;
import static dev.linkedaudiences.delivery.DeliveryFixtures.execute;
import static dev.linkedaudiences.delivery.DeliveryFixtures.produceAll;
import static dev.linkedaudiences.delivery.DeliveryFixtures.sentIds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backlog of one activation, far larger than a batch and than its rate limit lets through, does not hold back
 * another activation's events, and its put-off events are not written pass after pass.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = DeliveryFixtures.DATABASE))
class FairDispatchTest {
    private static final int BACKLOG = 20_000;

    @Test
    void aRateLimitedBacklogDoesNotHoldBackAnotherActivation() {
        try (RecordingHttpServer server = RecordingHttpServer.start()) {
            TestActivation limited = activation("webhook", "send",
                    Map.of("url", server.baseUrl() + "/limited", "secret", "s", "rateLimit.send", "20"));
            TestActivation other = activation("webhook", "send", Map.of("url", server.baseUrl() + "/other", "secret", "s"));
            try {
                // Older than anything the other activation will get: in due order, all of it would come first.
                execute("""
                        insert into delivery_event (message_id, activation_id, audience_id, profile_id, payload, status,
                                                    next_attempt_at, created_at)
                        select 'backlog-' || i, ?, ?, 'p' || i,
                               '{"type":"track","event":"backfill","messageId":"backlog-' || i || '","userId":"u' || i || '"}',
                               'pending', now() - interval '1 minute', now() - interval '1 minute'
                        from generate_series(1, %d) i""".formatted(BACKLOG), limited.activationId(), limited.audienceId());
                List<ActivationEvent> events = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    events.add(other.event("p" + (i % 10)));
                }

                produceAll(events);
                awaitAllStatus(events, "successful");

                String limitedPending = "select count(*) from delivery_event where activation_id = ? and status = 'pending'";
                long pending = count(limitedPending, limited.activationId());
                assertTrue(pending > BACKLOG * 0.9, "the backlog is still mostly pending: " + pending);
                assertEquals(0, count(limitedPending + " and not (attempts = 0 and reason is null"
                        + " and next_attempt_at < now() - interval '50 seconds')", limited.activationId()),
                        "events put off for the rate limit were left as they were");
                List<String> sent = sentIds(server.requestsTo("/other"));
                assertEquals(30, sent.size());
                assertProfileOrder(sent, events);
            } finally {
                execute("delete from delivery_event where activation_id = ?", limited.activationId());
            }
        }
    }
}
