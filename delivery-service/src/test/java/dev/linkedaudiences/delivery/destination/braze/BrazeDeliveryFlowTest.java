package dev.linkedaudiences.delivery.destination.braze;

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

import java.util.List;
import java.util.Map;

import static dev.linkedaudiences.delivery.DeliveryFixtures.activation;
import static dev.linkedaudiences.delivery.DeliveryFixtures.assertDeadLetter;
import static dev.linkedaudiences.delivery.DeliveryFixtures.awaitStatus;
import static dev.linkedaudiences.delivery.DeliveryFixtures.body;
import static dev.linkedaudiences.delivery.DeliveryFixtures.overview;
import static dev.linkedaudiences.delivery.DeliveryFixtures.produce;
import static dev.linkedaudiences.delivery.DeliveryFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Events from activation-events to a fake Braze (a real local HTTP server), through the real broker and database. */
@QuarkusTest
@QuarkusTestResource(value = LocalInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = DeliveryFixtures.DATABASE))
class BrazeDeliveryFlowTest {
    private static final String API_KEY = "test-braze-api-key";

    private RecordingHttpServer braze;

    @BeforeEach
    void startBraze() {
        braze = RecordingHttpServer.start();
    }

    @AfterEach
    void stopBraze() {
        braze.close();
    }

    private TestActivation brazeActivation() {
        return activation(BrazeDestination.TYPE, BrazeDestination.TRACK_EVENT, Map.of(
                "apiKey", API_KEY, "endpoint", braze.baseUrl() + "/", "appId", "app-1"));
    }

    @Test
    void anEventIsTrackedOnceWithTheBearerKeyAndTheMappedBody() {
        TestActivation activation = brazeActivation();
        ActivationEvent event = activation.event("p1");

        produce(event);
        awaitStatus(event, "successful");

        List<RecordedRequest> requests = braze.requests();
        assertEquals(1, requests.size());
        RecordedRequest request = requests.get(0);
        assertEquals("POST", request.method());
        assertEquals("/users/track", request.path());
        assertEquals("Bearer " + API_KEY, request.headers().get("authorization"));
        assertTrue(request.headers().get("content-type").startsWith("application/json"));
        assertEquals(Map.of("events", List.of(Map.of(
                "external_id", "user-p1",
                "email", "p1@example.com",
                "name", "abandoned_carts_linked_audience",
                "time", "2026-11-24T08:00:00Z",
                "properties", Map.of("audience_key", "abandoned_carts", "first_name", "Andrew",
                        "cart_updated_at", "2026-11-23T17:45:12+01:00", "birthday", "1990-04-01"),
                "app_id", "app-1"))), body(request));

        JsonPath overview = overview(activation);
        assertEquals(1, overview.getInt("steps.eventsFromAudience"));
        assertEquals(1, overview.getInt("steps.successfulDelivery"));
        assertEquals(1, (int) row(event.messageId()).get("attempts"));
    }

    @Test
    void anEventWithoutIdentifierFailsWithoutBeingSent() {
        TestActivation activation = brazeActivation();
        ActivationEvent anonymous = activation.event("p1", null, null);

        produce(anonymous);
        awaitStatus(anonymous, "failed");

        assertEquals("missing_identifier", row(anonymous.messageId()).get("reason"));
        assertEquals(0, braze.requests().size());
        assertEquals(1, overview(activation).getInt("steps.failedDelivery"));
        assertDeadLetter(activation, anonymous, "missing_identifier", 0);
    }
}
