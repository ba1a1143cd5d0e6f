package dev.linkedaudiences.audience.datagraph;

import dev.linkedaudiences.audience.AudienceServiceTestResource;
import dev.linkedaudiences.audience.FakeComputeService;
import dev.linkedaudiences.testsupport.RecordingHttpServer;
import dev.linkedaudiences.testsupport.RecordingHttpServer.RecordedRequest;
import dev.linkedaudiences.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.linkedaudiences.audience.Api.owner;
import static dev.linkedaudiences.audience.Api.sample;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Saving a data graph asks compute-service for the warehouse catalog ({@link FakeComputeService}, a real local HTTP
 * server): with the caller's own token; a transient failure is retried; compute-service down, failing or too slow
 * after the retries is a 503 that names it; a refusal (4xx) is not retried.
 */
@QuarkusTest
@AudienceServiceTestResource
class WarehouseCatalogTest {
    private static final RecordingHttpServer COMPUTE = FakeComputeService.server();
    private static final int ATTEMPTS = WarehouseCatalog.RETRIES + 1;

    @AfterEach
    void computeServiceBackUp() {
        COMPUTE.up();
    }

    private static List<RecordedRequest> catalogRequestsDuring(Runnable action) {
        int before = COMPUTE.requestsTo(FakeComputeService.CATALOG).size();
        action.run();
        List<RecordedRequest> all = COMPUTE.requestsTo(FakeComputeService.CATALOG);
        return all.subList(before, all.size());
    }

    @Test
    void theCatalogIsAskedWithTheCallersOwnToken() {
        String token = "Bearer " + Tokens.forUser("graph-editor", "workspace_owner");
        List<RecordedRequest> asked = catalogRequestsDuring(() -> RestAssured.given().contentType(ContentType.JSON)
                .header("Authorization", token).body(sample("data-graph.json")).put("/api/v1/data-graph")
                .then().statusCode(200).body("catalog.'prod.carts'.abandoned_at", equalTo("TIMESTAMP")));
        assertEquals(1, asked.size(), "the sample graph names schemas only: one request");
        assertEquals("GET", asked.get(0).method());
        assertEquals(token, asked.get(0).headers().get("authorization"));
    }

    @Test
    void aTransientFailureIsRetriedAndTheGraphSaved() {
        COMPUTE.failNext(1, 503, Map.of());
        List<RecordedRequest> asked = catalogRequestsDuring(() ->
                owner().body(sample("data-graph.json")).put("/api/v1/data-graph").then().statusCode(200));
        assertEquals(List.of(503, 200), asked.stream().map(RecordedRequest::status).toList());

        COMPUTE.resetNext(1); // a connection closed without an answer
        asked = catalogRequestsDuring(() -> owner().body(sample("data-graph.json")).put("/api/v1/data-graph").then().statusCode(200));
        assertEquals(List.of(0, 200), asked.stream().map(RecordedRequest::status).toList());
    }

    @Test
    void computeServiceFailingAfterTheRetriesIsA503ThatSaysSo() {
        COMPUTE.down(500);
        List<RecordedRequest> asked = catalogRequestsDuring(() ->
                owner().body(sample("data-graph.json")).put("/api/v1/data-graph").then().statusCode(503)
                        .contentType(startsWith("application/problem+json"))
                        .body("detail", containsString("compute-service"))
                        .body("detail", containsString("did not answer after " + ATTEMPTS + " attempts")));
        assertEquals(ATTEMPTS, asked.size());
    }

    @Test
    void computeServiceUnreachableIsA503ThatSaysSo() {
        COMPUTE.resetNext(ATTEMPTS);
        catalogRequestsDuring(() -> owner().body(sample("data-graph.json")).put("/api/v1/data-graph").then().statusCode(503)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString("compute-service, which reads the warehouse catalog, did not answer")));
    }

    @Test
    void computeServiceTooSlowTimesOutEachAttemptThenIsA503() {
        COMPUTE.delayNext(ATTEMPTS, FakeComputeService.READ_TIMEOUT_MILLIS * 2);
        List<RecordedRequest> asked = catalogRequestsDuring(() ->
                owner().body(sample("data-graph.json")).put("/api/v1/data-graph").then().statusCode(503)
                        .contentType(startsWith("application/problem+json"))
                        .body("detail", containsString("compute-service, which reads the warehouse catalog, did not answer")));
        // the server answered each one, too late: the client gave up on each attempt and tried again
        assertEquals(java.util.Collections.nCopies(ATTEMPTS, 200), asked.stream().map(RecordedRequest::status).toList());
    }

    @Test
    void aRefusalComputeServiceDoesNotExplainIsNotRetriedAndNamesItsStatus() {
        COMPUTE.failNext(1, 400, Map.of());
        List<RecordedRequest> asked = catalogRequestsDuring(() ->
                owner().body(sample("data-graph.json")).put("/api/v1/data-graph").then().statusCode(503)
                        .contentType(startsWith("application/problem+json"))
                        .body("detail", containsString("compute-service answered 400")));
        assertEquals(1, asked.size());
    }
}
