package dev.linkedaudiences.audience.hostile;

import dev.linkedaudiences.audience.AudienceServiceTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static dev.linkedaudiences.audience.Api.as;
import static dev.linkedaudiences.audience.Api.owner;
import static dev.linkedaudiences.audience.Api.sampleDataGraph;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/** Issue 12's findings 1, 9 and 10 against audience-service: each is a 400 problem at its pointer, and nothing stored breaks a read. */
@QuarkusTest
@AudienceServiceTestResource
class HostileInputTest {

    @BeforeEach
    void graph() {
        sampleDataGraph();
    }

    /** Whatever was tried, every list still answers. */
    @AfterEach
    void everyListStillAnswers() {
        as("read_only").get("/api/v1/audiences").then().statusCode(200);
        as("read_only").get("/api/v1/destinations").then().statusCode(200);
        as("read_only").get("/api/v1/activations").then().statusCode(200);
        as("read_only").get("/api/v1/data-graph").then().statusCode(200);
        sampleDataGraph(); // PUT /data-graph still accepted
    }

    private static String audience(String constantJson) {
        String key = "hostile_" + UUID.randomUUID().toString().substring(0, 8);
        return "{\"key\":\"" + key + "\",\"name\":\"" + key + "\",\"definition\":{\"operator\":\"and\",\"groups\":[{\"operator\":\"and\","
                + "\"conditions\":[{\"type\":\"trait\",\"trait\":\"first_name\",\"op\":\"equals\",\"value\":{\"const\":" + constantJson + "}}]}]}}";
    }

    private static ValidatableResponse problem(ValidatableResponse response, int status) {
        return response.statusCode(status).contentType("application/problem+json").body("status", equalTo(status));
    }

    @Test
    void anUnpairedSurrogateIsRefusedAtItsPointer() {
        problem(owner().body(audience("\"A\\ud800\\u0116\"")).post("/api/v1/audiences").then(), 400)
                .body("errors.pointer", hasItem("/definition/groups/0/conditions/0/value/const"))
                .body("errors.message", hasItem(containsString("unpaired surrogate")));
        problem(owner().body(audience("\"\\ud800\\u0122}}]}]}\"")).post("/api/v1/audiences").then(), 400);
        problem(owner().body(audience("\"\\udc00\"")).post("/api/v1/audiences").then(), 400);
        owner().body(audience("\"A\\ud83d\\ude00\"")).post("/api/v1/audiences").then().statusCode(201); // a paired one is an emoji
    }

    @Test
    void controlCharactersAreRefusedInValuesAndNames() {
        problem(owner().body(audience("\"a\\u0000b\"")).post("/api/v1/audiences").then(), 400)
                .body("errors.message", hasItem(containsString("control character")));
        problem(owner().body("{\"key\":\"x\",\"na\\u0000me\":\"x\"}").post("/api/v1/audiences").then(), 400);
    }

    @Test
    void numbersAreFiniteAndBounded() {
        problem(owner().body(audience("1e400")).post("/api/v1/audiences").then(), 400)
                .body("errors.pointer", hasItem("/definition/groups/0/conditions/0/value/const"));
        problem(owner().body(audience("-1e16")).post("/api/v1/audiences").then(), 400);
        problem(owner().body(audience("123456789012345678901234567890")).post("/api/v1/audiences").then(), 400);
    }

    @Test
    void duplicateKeysAreRefused() {
        problem(owner().body("{\"key\":\"a\",\"key\":\"b\",\"name\":\"n\"}").post("/api/v1/audiences").then(), 400)
                .body("errors.pointer", hasItem("/key"));
    }

    @Test
    void emptyAndDeepBodiesAreProblems() {
        problem(owner().body("").post("/api/v1/audiences").then(), 400);
        problem(owner().body("[".repeat(5000) + "]".repeat(5000)).post("/api/v1/audiences").then(), 400);
        problem(owner().body("{\"key\":\"a\"} {\"key\":\"b\"}").post("/api/v1/audiences").then(), 400);
    }

    @Test
    void aHugeWithinAmountIsAProblem() {
        String key = "within_" + UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"key\":\"" + key + "\",\"name\":\"" + key + "\",\"definition\":{\"operator\":\"and\",\"groups\":[{\"operator\":\"and\","
                + "\"conditions\":[{\"type\":\"event\",\"event\":\"Order Completed\",\"count\":{\"op\":\"at_least\",\"value\":1},"
                + "\"within\":{\"amount\":2147483647,\"unit\":\"days\"}}]}]}}";
        problem(owner().body(body).post("/api/v1/audiences").then(), 400)
                .body("errors.pointer", hasItem("/definition/groups/0/conditions/0/within"));
    }

    @Test
    void namesLongerThanTheirMaximumAreProblems() {
        String longName = "n".repeat(201);
        problem(owner().body("{\"key\":\"k_" + UUID.randomUUID().toString().substring(0, 8) + "\",\"name\":\"" + longName
                + "\",\"definition\":{\"operator\":\"and\",\"groups\":[]}}").post("/api/v1/audiences").then(), 400)
                .body("errors.pointer", hasItem("/name"));
        problem(owner().body("{\"name\":\"" + longName + "\",\"type\":\"webhook\",\"settings\":{\"url\":\"https://example.com/hook\"}}")
                .post("/api/v1/destinations").then(), 400).body("errors.pointer", hasItem("/name"));
    }

    @Test
    void pathAndQueryParametersAreChecked() {
        // as sent, not encoded again by the client
        problem(as("read_only").urlEncodingEnabled(false).get("/api/v1/audiences/a%00b").then(), 400)
                .body("errors.pointer", hasItem("id")).body("errors.message", hasItem(containsString("control character")));
        problem(as("read_only").urlEncodingEnabled(false).get("/api/v1/activations?audienceId=a%00b").then(), 400)
                .body("errors.pointer", hasItem("audienceId"));
        problem(as("read_only").get("/api/v1/activations?audienceId=" + "x".repeat(1_001)).then(), 400);
        problem(as("read_only").get("/api/v1/audiences?cursor=AA").then(), 400).body("errors.pointer", hasItem("/cursor"));
        problem(as("read_only").urlEncodingEnabled(false).get("/api/v1/audiences?cursor=%00").then(), 400);
        problem(as("read_only").get("/api/v1/audiences/" + UUID.randomUUID()).then(), 404);
    }

    @Test
    void frameworkAnswersAreProblemsToo() {
        problem(RestAssured.given().get("/api/v1/audiences").then(), 401);
        problem(RestAssured.given().header("Authorization", "Bearer not.a.token").get("/api/v1/audiences").then(), 401);
        problem(as("read_only").body(audience("\"x\"")).post("/api/v1/audiences").then(), 403);
        problem(as("read_only").get("/api/v1/no-such-thing").then(), 404);
        problem(as("read_only").delete("/api/v1/data-graph").then(), 405);
        problem(owner().contentType("text/plain").body("hello").post("/api/v1/audiences").then(), 415);
        problem(owner().body("{\"template\":\"" + "x".repeat(1_100_000) + "\",\"payload\":{}}").post("/api/v1/templates/render").then(), 413);
        problem(owner().body("{\"template\": 12, \"payload\": []}").post("/api/v1/templates/render").then(), 400)
                .body("detail", not(containsString("Exception")));
    }
}
