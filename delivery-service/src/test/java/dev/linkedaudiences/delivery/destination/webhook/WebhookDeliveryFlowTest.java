package dev.linkedaudiences.delivery.destination.webhook;

import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.delivery.DeliveryFixtures;
import dev.linkedaudiences.delivery.DeliveryFixtures.TestActivation;
import dev.linkedaudiences.testsupport.LocalInfrastructure;
import dev.linkedaudiences.testsupport.RecordingHttpServer;
import dev.linkedaudiences.testsupport.RecordingHttpServer.RecordedRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static dev.linkedaudiences.delivery.DeliveryFixtures.activation;
import static dev.linkedaudiences.delivery.DeliveryFixtures.awaitStatus;
import static dev.linkedaudiences.delivery.DeliveryFixtures.body;
import static dev.linkedaudiences.delivery.DeliveryFixtures.overview;
import static dev.linkedaudiences.delivery.DeliveryFixtures.produce;
import static dev.linkedaudiences.delivery.DeliveryFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Events from activation-events to a webhook (a real local HTTP server), through the real broker and database. */
@QuarkusTest
@QuarkusTestResource(value = LocalInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = DeliveryFixtures.DATABASE))
class WebhookDeliveryFlowTest {
    private static final String SECRET = "webhook-test-secret";

    private RecordingHttpServer receiver;

    @BeforeEach
    void startReceiver() {
        receiver = RecordingHttpServer.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private TestActivation webhookActivation() {
        return activation(WebhookDestination.TYPE, WebhookDestination.SEND, Map.of(
                "url", receiver.baseUrl() + "/hooks/la", "secret", SECRET, "header.X-Team", "growth"));
    }

    private static String expectedSignature(String rawBody) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(rawBody.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anEventIsPostedOnceSignedWithTheMessageAsBody() throws Exception {
        TestActivation activation = webhookActivation();
        ActivationEvent event = activation.event("p1");

        produce(event);
        awaitStatus(event, "successful");

        List<RecordedRequest> requests = receiver.requests();
        assertEquals(1, requests.size());
        RecordedRequest request = requests.get(0);
        assertEquals("POST", request.method());
        assertEquals("/hooks/la", request.path());
        assertTrue(request.headers().get("content-type").startsWith("application/json"));
        assertEquals("growth", request.headers().get("x-team"));
        assertEquals(expectedSignature(request.body()), request.headers().get("x-signature-256"));
        assertEquals(event.message(), body(request));

        JsonPath overview = overview(activation);
        assertEquals(1, overview.getInt("steps.eventsFromAudience"));
        assertEquals(1, overview.getInt("steps.successfulDelivery"));
        assertEquals(1, (int) row(event.messageId()).get("attempts"));
    }

    @Test
    void aServerErrorIsRetriedAndTheEventDeliveredOnce() throws Exception {
        TestActivation activation = webhookActivation();
        receiver.failNext(1, 500, Map.of());
        ActivationEvent event = activation.event("p1");

        produce(event);
        awaitStatus(event, "successful");

        List<RecordedRequest> requests = receiver.requests();
        assertEquals(2, requests.size());
        for (RecordedRequest request : requests) {
            assertEquals(event.messageId(), body(request).get("messageId"));
            assertEquals(expectedSignature(request.body()), request.headers().get("x-signature-256"));
        }
        assertEquals(2, (int) row(event.messageId()).get("attempts"));
        JsonPath overview = overview(activation);
        assertEquals(1, overview.getInt("steps.eventsFromAudience"));
        assertEquals(1, overview.getInt("steps.successfulDelivery"));
        assertEquals(0, overview.getInt("steps.pendingRetry"));
        assertEquals(0, overview.getInt("steps.failedDelivery"));
    }
}
