package dev.linkedaudiences.audience.datagraph;

import dev.linkedaudiences.audience.AudienceServiceTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static dev.linkedaudiences.audience.Api.as;
import static dev.linkedaudiences.audience.Api.owner;
import static dev.linkedaudiences.audience.Api.sample;
import static dev.linkedaudiences.audience.Api.sampleDefinition;
import static dev.linkedaudiences.audience.Api.sampleEdited;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

@QuarkusTest
@AudienceServiceTestResource
class DataGraphResourceTest {

    @Test
    void theSampleGraphIsSavedWithTheWarehouseColumnTypes() {
        owner().body(sample("data-graph.json")).put("/api/v1/data-graph").then().statusCode(200)
                .body("catalog.'prod.carts'.abandoned_at", equalTo("TIMESTAMP"))
                .body("catalog.'segment_profiles.order_completed'.total", equalTo("NUMBER"));
        as("read_only").get("/api/v1/data-graph").then().statusCode(200)
                .body("profile.relationships[0].slug", equalTo("user-accounts"));
    }

    @Test
    void everyProblemIsReportedAtItsJsonPath() {
        String broken = sampleEdited("data-graph.json",
                "/entities/0/table", "prod.no_such_table",
                "/profile/relationships/0/relationships/0/join/column", "no_such_column",
                "/profile/relationships/0/relationships/0/relationships/0/slug", "Products!",
                "/profile/relationships/0/relationships/0/relationships/0/junction/key", "missing_key");
        owner().body(broken).put("/api/v1/data-graph").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.pointer", hasItems("/entities/0/table",
                        "/profile/relationships/0/relationships/0/join/column",
                        "/profile/relationships/0/relationships/0/relationships/0/slug",
                        "/profile/relationships/0/relationships/0/relationships/0/junction/key"));
    }

    @Test
    void aGraphWithMissingPartsIsAProblemNotACrash() {
        owner().body("{\"profile\": {\"schema\": \"segment_profiles\", \"relationships\": [null, {\"slug\": \"accounts\", \"entity\": \"account\", "
                        + "\"join\": {\"externalId\": \"email\", \"column\": \"email\"}, \"relationships\": [{\"slug\": \"carts\"}]}]}}")
                .put("/api/v1/data-graph").then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", containsInAnyOrder("/entities", "/profile/relationships/0", "/profile/relationships/1/entity",
                        "/profile/relationships/1/relationships/0/entity", "/profile/relationships/1/relationships/0/join"));
    }

    @Test
    void joinColumnsMustHaveComparableTypes() {
        String mismatched = sampleEdited("data-graph.json", "/profile/relationships/0/relationships/0/join/column", "abandoned_at");
        owner().body(mismatched).put("/api/v1/data-graph").then().statusCode(400)
                .body("errors.pointer", hasItems("/profile/relationships/0/relationships/0/join/column"));
    }

    @Test
    void aGraphThatDropsWhatASavedAudienceUsesIsRefusedUntilTheAudienceIsGone() {
        owner().body(sample("data-graph.json")).put("/api/v1/data-graph").then().statusCode(200);
        String key = "graph_user_" + UUID.randomUUID().toString().substring(0, 8);
        String id = owner().body("{\"key\":\"" + key + "\",\"name\":\"n\",\"definition\":" + sampleDefinition() + "}")
                .post("/api/v1/audiences").then().statusCode(201).extract().path("id");

        // the same graph without carts' products: the sample audience counts products in abandoned carts
        String withoutProducts = sampleEdited("data-graph.json", "/profile/relationships/0/relationships/0/relationships", List.of());
        owner().body(withoutProducts).put("/api/v1/data-graph").then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString(key))
                .body("errors.pointer", hasItem("/definition/groups/0/conditions/1/children/conditions/0/children/conditions/0/relationship"))
                .body("errors.message", hasItem(startsWith("audience " + key + ": ")));
        as("read_only").get("/api/v1/data-graph").then().statusCode(200)
                .body("profile.relationships[0].relationships[0].relationships[0].slug", equalTo("products"));

        // audiences of other tests may use products too; this one at least is no longer named once deleted
        owner().delete("/api/v1/audiences/" + id).then().statusCode(204);
        owner().body(withoutProducts).put("/api/v1/data-graph").then()
                .body("detail", anyOf(nullValue(), not(containsString(key))));
        owner().body(sample("data-graph.json")).put("/api/v1/data-graph").then().statusCode(200);
    }

    @Test
    void onlyAWorkspaceOwnerChangesTheGraph() {
        RestAssured.given().get("/api/v1/data-graph").then().statusCode(401);
        as("engage_user").body(sample("data-graph.json")).put("/api/v1/data-graph").then().statusCode(403);
        as("read_only").body(sample("data-graph.json")).put("/api/v1/data-graph").then().statusCode(403);
    }

    @Test
    void anUnreadableBodyIsAProblem() {
        owner().body("{\"entities\": 5}").put("/api/v1/data-graph").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].pointer", equalTo("/entities"));
    }
}
