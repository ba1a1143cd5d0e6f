package dev.linkedaudiences.delivery.testevent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.delivery.ComputeServiceStub;
import dev.linkedaudiences.delivery.DeliveryFixtures;
import dev.linkedaudiences.delivery.DeliveryFixtures.TestActivation;
import dev.linkedaudiences.testsupport.LocalInfrastructure;
import dev.linkedaudiences.testsupport.RecordingHttpServer;
import dev.linkedaudiences.testsupport.RecordingHttpServer.RecordedRequest;
import dev.linkedaudiences.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.linkedaudiences.delivery.DeliveryFixtures.activation;
import static dev.linkedaudiences.delivery.DeliveryFixtures.count;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code POST /api/v1/test-events}: the message from a stub compute-service, sent now to a fake destination. */
@QuarkusTest
@QuarkusTestResource(value = LocalInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = DeliveryFixtures.DATABASE))
@QuarkusTestResource(ComputeServiceStub.class)
class TestEventResourceTest {
    private static final String MESSAGES = "/api/v1/activation-messages";
    private final ObjectMapper json = new ObjectMapper();
    private RecordingHttpServer braze;

    @BeforeEach
    void start() {
        braze = RecordingHttpServer.start();
    }

    @AfterEach
    void stop() {
        braze.close();
    }

    @Test
    void theProfilesMessageIsSentNowAndTheReplyReturned() throws Exception {
        TestActivation activation = activation("braze", "trackEvent", Map.of("apiKey", "bz", "endpoint", braze.baseUrl()));
        ActivationEvent event = activation.event("p1");
        ComputeServiceStub.server().stub(MESSAGES, json.writeValueAsString(event));
        braze.stub("/users/track", "{\"message\":\"success\",\"events_processed\":1}");
        String token = Tokens.forRole(Roles.ENGAGE_USER);

        given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("activationId", activation.activationId(), "profileId", "p1"))
                .post("/api/v1/test-events")
                .then().statusCode(200)
                .body("payload.messageId", equalTo(event.messageId()))
                .body("payload.userId", equalTo("user-p1"))
                .body("destination.status", equalTo(200))
                .body("destination.body.message", equalTo("success"))
                .body("destination.body.events_processed", equalTo(1))
                .body("destination.reason", nullValue());

        RecordedRequest asked = last(ComputeServiceStub.server().requestsTo(MESSAGES));
        assertEquals("Bearer " + token, asked.headers().get("authorization"));
        assertEquals(Map.of("activationId", activation.activationId(), "profileId", "p1"), json.readValue(asked.body(), Map.class));
        assertEquals(1, braze.requestsTo("/users/track").size());
        // Not through the queue: nothing stored, nothing counted.
        assertEquals(0, count("select count(*) from delivery_event where message_id = ?", event.messageId()));
    }

    @Test
    void aRefusalIsReturnedAsTheDestinationSaidIt() throws Exception {
        TestActivation activation = activation("braze", "trackEvent", Map.of("apiKey", "bz", "endpoint", braze.baseUrl()));
        ComputeServiceStub.server().stub(MESSAGES, json.writeValueAsString(activation.event("p2")));
        braze.failNext(1, 400, Map.of());

        given().auth().oauth2(Tokens.forRole(Roles.WORKSPACE_OWNER)).contentType("application/json")
                .body(Map.of("activationId", activation.activationId(), "profileId", "p2"))
                .post("/api/v1/test-events")
                .then().statusCode(200)
                .body("destination.status", equalTo(400))
                .body("destination.body.msg", equalTo("injected fault"))
                .body("destination.reason", equalTo("HTTP 400: {\"msg\":\"injected fault\",\"code\":\"GenericError\"}"));
    }

    @Test
    void unknownActivationsProfilesAndBadRequestsAreProblems() {
        TestActivation activation = activation("braze", "trackEvent", Map.of("apiKey", "bz", "endpoint", braze.baseUrl()));
        String token = Tokens.forRole(Roles.ENGAGE_USER);
        given().auth().oauth2(token).contentType("application/json").body(Map.of())
                .post("/api/v1/test-events")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItems("/activationId", "/profileId"));
        given().auth().oauth2(token).contentType("application/json").body(Map.of("activationId", "nope", "profileId", "p1"))
                .post("/api/v1/test-events")
                .then().statusCode(404).contentType("application/problem+json");
        ComputeServiceStub.server().failNext(1, 404, Map.of());
        given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("activationId", activation.activationId(), "profileId", "nobody"))
                .post("/api/v1/test-events")
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(Tokens.forRole(Roles.READ_ONLY)).contentType("application/json")
                .body(Map.of("activationId", activation.activationId(), "profileId", "p1"))
                .post("/api/v1/test-events")
                .then().statusCode(403);
        assertEquals(0, braze.requests().size());
    }

    private static RecordedRequest last(List<RecordedRequest> requests) {
        return requests.get(requests.size() - 1);
    }
}
