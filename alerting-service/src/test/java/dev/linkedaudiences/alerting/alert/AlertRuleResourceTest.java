package dev.linkedaudiences.alerting.alert;

import dev.linkedaudiences.alerting.AlertingFixtures;
import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.testsupport.LocalInfrastructure;
import dev.linkedaudiences.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
@QuarkusTestResource(value = LocalInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = AlertingFixtures.DATABASE))
class AlertRuleResourceTest {

    private static RequestSpecification as(String role) {
        return given().auth().oauth2(Tokens.forRole(role)).contentType(ContentType.JSON);
    }

    private static String create(String user, String role, String audienceId) {
        return given().auth().oauth2(Tokens.forUser(user, role)).contentType(ContentType.JSON)
                .body(Map.of("audienceId", audienceId, "type", "audience_size_change", "thresholdPercent", 10))
                .post("/api/v1/alerts")
                .then().statusCode(201)
                .extract().path("id");
    }

    @Test
    void everyEndpointNeedsAToken() {
        given().get("/api/v1/alerts").then().statusCode(401);
        given().get("/api/v1/alerts/" + UUID.randomUUID()).then().statusCode(401);
        given().contentType(ContentType.JSON).body("{}").post("/api/v1/alerts").then().statusCode(401);
        given().delete("/api/v1/alerts/" + UUID.randomUUID()).then().statusCode(401);
        given().get("/api/v1/notifications").then().statusCode(401);
    }

    @Test
    void readOnlyUsersReadButDoNotWrite() {
        String id = create("ann", Roles.ENGAGE_USER, UUID.randomUUID().toString());
        as(Roles.READ_ONLY).body(Map.of("audienceId", "a", "type", "audience_size_change", "thresholdPercent", 10))
                .post("/api/v1/alerts").then().statusCode(403);
        as(Roles.READ_ONLY).delete("/api/v1/alerts/" + id).then().statusCode(403);
        as(Roles.READ_ONLY).get("/api/v1/alerts/" + id).then().statusCode(200);
        as(Roles.READ_ONLY).get("/api/v1/notifications").then().statusCode(200);
    }

    @Test
    void createsWithDefaultsAndRecordsTheCreator() {
        String audienceId = UUID.randomUUID().toString();
        String id = create("ann", Roles.ENGAGE_USER, audienceId);

        as(Roles.READ_ONLY).get("/api/v1/alerts/" + id).then().statusCode(200)
                .body("audienceId", equalTo(audienceId))
                .body("type", equalTo("audience_size_change"))
                .body("thresholdPercent", equalTo(10.0f))
                .body("channels", containsInAnyOrder("in_app"))
                .body("state", equalTo("ok"))
                .body("createdBy", equalTo("ann"))
                .body("createdAt", notNullValue());
        as(Roles.READ_ONLY).queryParam("audienceId", audienceId).get("/api/v1/alerts").then().statusCode(200)
                .body("id", containsInAnyOrder(id));
    }

    @Test
    void invalidRequestsNameEveryBadField() {
        as(Roles.ENGAGE_USER)
                .body(Map.of("type", "price_drop", "thresholdPercent", -5, "channels", List.of("in_app", "pager")))
                .post("/api/v1/alerts")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors", hasSize(4))
                .body("errors.pointer", containsInAnyOrder("/audienceId", "/type", "/thresholdPercent", "/channels/1"))
                .body("errors.find { it.pointer == '/type' }.message", containsString("unknown type 'price_drop'"));

        as(Roles.ENGAGE_USER)
                .body(Map.of("audienceId", "a", "type", "activation_event_health", "thresholdPercent", 0,
                        "channels", List.of("slack")))
                .post("/api/v1/alerts")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.pointer", containsInAnyOrder("/type", "/thresholdPercent", "/channels/0"))
                .body("errors.find { it.pointer == '/type' }.message", containsString("not yet supported"))
                .body("errors.find { it.pointer == '/channels/0' }.message", containsString("not yet supported"));

        as(Roles.ENGAGE_USER).body("{}").post("/api/v1/alerts")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.pointer", containsInAnyOrder("/audienceId", "/type", "/thresholdPercent"));
    }

    @Test
    void onlyTheCreatorOrAWorkspaceOwnerDeletes() {
        String audienceId = UUID.randomUUID().toString();
        String first = create("ann", Roles.ENGAGE_USER, audienceId);
        String second = create("ann", Roles.ENGAGE_USER, audienceId);

        given().auth().oauth2(Tokens.forUser("bob", Roles.ENGAGE_USER)).delete("/api/v1/alerts/" + first)
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(Tokens.forUser("ann", Roles.ENGAGE_USER)).delete("/api/v1/alerts/" + first)
                .then().statusCode(204);
        given().auth().oauth2(Tokens.forUser("olga", Roles.WORKSPACE_OWNER)).delete("/api/v1/alerts/" + second)
                .then().statusCode(204);

        as(Roles.READ_ONLY).get("/api/v1/alerts/" + first).then().statusCode(404).contentType("application/problem+json");
        as(Roles.READ_ONLY).queryParam("audienceId", audienceId).get("/api/v1/alerts").then().statusCode(200)
                .body("", hasSize(0));
    }

    @Test
    void notificationLimitIsBounded() {
        as(Roles.READ_ONLY).queryParam("limit", 201).get("/api/v1/notifications")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", containsInAnyOrder("/limit"));
    }
}
