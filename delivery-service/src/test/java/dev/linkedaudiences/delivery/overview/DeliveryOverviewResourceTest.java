package dev.linkedaudiences.delivery.overview;

import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.delivery.DeliveryFixtures;
import dev.linkedaudiences.delivery.DeliveryFixtures.TestActivation;
import dev.linkedaudiences.testsupport.LocalInfrastructure;
import dev.linkedaudiences.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static dev.linkedaudiences.delivery.DeliveryFixtures.activation;
import static dev.linkedaudiences.delivery.DeliveryFixtures.awaitStatus;
import static dev.linkedaudiences.delivery.DeliveryFixtures.overview;
import static dev.linkedaudiences.delivery.DeliveryFixtures.produce;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(value = LocalInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = DeliveryFixtures.DATABASE))
class DeliveryOverviewResourceTest {

    @Test
    void everyEndpointNeedsATokenWithAReadRole() {
        given().queryParam("audienceId", "a").get("/api/v1/delivery-overview").then().statusCode(401);
        given().queryParam("audienceId", "a").get("/api/v1/delivery-overview/dead-letters").then().statusCode(401);
        given().auth().oauth2(Tokens.forRole("guest")).queryParam("audienceId", "a")
                .get("/api/v1/delivery-overview").then().statusCode(403);
        for (String role : new String[]{Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER, Roles.READ_ONLY}) {
            given().auth().oauth2(Tokens.forRole(role)).queryParam("audienceId", "a")
                    .get("/api/v1/delivery-overview").then().statusCode(200);
        }
    }

    @Test
    void badParametersAreA400NamingEachField() {
        given().auth().oauth2(Tokens.forRole(Roles.READ_ONLY))
                .get("/api/v1/delivery-overview")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.pointer", containsInAnyOrder("/audienceId"));

        given().auth().oauth2(Tokens.forRole(Roles.READ_ONLY))
                .queryParam("from", "yesterday").queryParam("to", "2026-01-01")
                .get("/api/v1/delivery-overview")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.pointer", containsInAnyOrder("/audienceId", "/from", "/to"));

        given().auth().oauth2(Tokens.forRole(Roles.READ_ONLY)).queryParam("audienceId", "a")
                .queryParam("from", "2026-02-01T00:00:00Z").queryParam("to", "2026-01-01T00:00:00Z")
                .get("/api/v1/delivery-overview")
                .then().statusCode(400)
                .body("errors.pointer", containsInAnyOrder("/to"));

        given().auth().oauth2(Tokens.forRole(Roles.READ_ONLY))
                .get("/api/v1/delivery-overview/dead-letters")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.pointer", containsInAnyOrder("/audienceId"));
        given().auth().oauth2(Tokens.forRole(Roles.READ_ONLY)).queryParam("audienceId", "a").queryParam("limit", "many")
                .get("/api/v1/delivery-overview/dead-letters")
                .then().statusCode(400)
                .body("errors.pointer", containsInAnyOrder("/limit"));
    }

    @Test
    void anAudienceWithoutEventsHasAllStepsAtZero() {
        JsonPath overview = overview(Map.of("audienceId", UUID.randomUUID().toString()));
        assertEquals(0, overview.getInt("steps.eventsFromAudience"));
        assertEquals(0, overview.getInt("steps.filteredAtSource"));
        assertEquals(0, overview.getInt("steps.successfulDelivery"));
    }

    @Test
    void filtersByActivationEventNameAndTimeRange() {
        // A disabled activation filters everything at destination: counts without any HTTP involved.
        TestActivation activation = activation("http://127.0.0.1:9", false);
        TestActivation other = activation("http://127.0.0.1:9", false);
        ActivationEvent entered = activation.event("p1");
        ActivationEvent exited = renamed(activation.event("p2"), "Audience Exited");
        ActivationEvent otherActivation = new TestActivation(other.activationId(), activation.audienceId()).event("p3");
        produce(entered);
        produce(exited);
        produce(otherActivation);
        awaitStatus(entered, "filtered_at_destination");
        awaitStatus(exited, "filtered_at_destination");
        awaitStatus(otherActivation, "filtered_at_destination");

        assertEquals(3, steps(activation, Map.of()).getInt("steps.eventsFromAudience"));
        assertEquals(2, steps(activation, Map.of("activationId", activation.activationId())).getInt("steps.filteredAtDestination"));
        assertEquals(1, steps(activation, Map.of("eventName", "Audience Exited")).getInt("steps.eventsFromAudience"));
        assertEquals(1, steps(activation, Map.of("activationId", activation.activationId(), "eventName", "Audience Exited"))
                .getInt("steps.eventsFromAudience"));
        Instant now = Instant.now();
        assertEquals(3, steps(activation, Map.of("from", now.minus(1, ChronoUnit.HOURS).toString(), "to", now.plusSeconds(60).toString()))
                .getInt("steps.eventsFromAudience"));
        assertEquals(0, steps(activation, Map.of("from", now.plusSeconds(60).toString())).getInt("steps.eventsFromAudience"));
        assertEquals(0, steps(activation, Map.of("to", now.minus(1, ChronoUnit.HOURS).toString())).getInt("steps.eventsFromAudience"));

        JsonPath filtered = steps(activation, Map.of("activationId", activation.activationId()));
        assertEquals(activation.audienceId(), filtered.getString("audienceId"));
        assertEquals(activation.activationId(), filtered.getString("activationId"));
    }

    @Test
    void deadLettersArePagedWithACursor() {
        TestActivation activation = activation("http://127.0.0.1:9", true);
        ActivationEvent first = activation.event("p1", null, null);
        ActivationEvent second = activation.event("p2", null, null);
        produce(first);
        awaitStatus(first, "failed");
        produce(second);
        awaitStatus(second, "failed");

        String cursor = given().auth().oauth2(Tokens.forRole(Roles.READ_ONLY))
                .queryParam("audienceId", activation.audienceId()).queryParam("limit", 1)
                .get("/api/v1/delivery-overview/dead-letters")
                .then().statusCode(200)
                .body("items.messageId", containsInAnyOrder(first.messageId()))
                .extract().path("nextCursor");
        given().auth().oauth2(Tokens.forRole(Roles.READ_ONLY))
                .queryParam("audienceId", activation.audienceId()).queryParam("limit", 1).queryParam("cursor", cursor)
                .get("/api/v1/delivery-overview/dead-letters")
                .then().statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].messageId", equalTo(second.messageId()))
                .body("items[0].reason", equalTo("missing_identifier"));
        assertEquals(2, overview(Map.of("audienceId", activation.audienceId())).getInt("steps.failedDelivery"));
    }

    /** The overview of the activation's audience with {@code filters}. */
    private static JsonPath steps(TestActivation activation, Map<String, String> filters) {
        Map<String, String> query = new HashMap<>(filters);
        query.put("audienceId", activation.audienceId());
        return overview(query);
    }

    private static ActivationEvent renamed(ActivationEvent event, String eventName) {
        Map<String, Object> message = new HashMap<>(event.message());
        message.put("event", eventName);
        return new ActivationEvent(event.activationId(), event.audienceId(), event.runId(), event.profileId(),
                event.trigger(), message);
    }
}
