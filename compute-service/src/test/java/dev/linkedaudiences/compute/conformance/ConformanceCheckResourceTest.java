package dev.linkedaudiences.compute.conformance;

import dev.linkedaudiences.compute.run.FakeAudienceService;
import dev.linkedaudiences.compute.warehouse.JdbcSession;
import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.testsupport.LocalInfrastructure;
import dev.linkedaudiences.testsupport.LocalPostgres;
import dev.linkedaudiences.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /api/v1/warehouse/conformance-checks} on the sample warehouse (the same resources as the other compute tests,
 * so they share one boot): input checked, a schema holding tables or the snapshot schema refused and left alone, and a
 * real check on PostgreSQL that agrees and drops its scratch schema.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfrastructure.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "database", value = "compute_test"),
        @ResourceArg(name = "warehouse", value = ConformanceCheckResourceTest.WAREHOUSE),
        @ResourceArg(name = "warehouseScript", value = "../samples/abandoned-carts/warehouse.sql")})
@QuarkusTestResource(value = FakeAudienceService.class, restrictToAnnotatedClass = true)
class ConformanceCheckResourceTest {
    static final String WAREHOUSE = "compute_test_warehouse";
    private static final String CHECKS = "/api/v1/warehouse/conformance-checks";

    private static RequestSpecification as(String role) {
        return RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer " + Tokens.forRole(role));
    }

    @Test
    void onlyTheWorkspaceOwnerRunsChecks() {
        for (String role : List.of(Roles.ENGAGE_USER, Roles.READ_ONLY)) {
            as(role).body(Map.of("scratchSchema", "la_check_roles")).post(CHECKS).then().statusCode(403);
        }
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("scratchSchema", "la_check_roles")).post(CHECKS).then().statusCode(401);
    }

    @Test
    void badInputIsA400AtItsField() {
        for (Object schema : List.of("", "la-check", "la_check; DROP SCHEMA prod CASCADE", "\"prod\"", "9lives", "a".repeat(64))) {
            as(Roles.WORKSPACE_OWNER).body(Map.of("scratchSchema", schema)).post(CHECKS).then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].pointer", equalTo("/scratchSchema"));
        }
        as(Roles.WORKSPACE_OWNER).body(Map.of("seed", 1)).post(CHECKS).then().statusCode(400)
                .body("errors[0].pointer", equalTo("/scratchSchema"));
        for (int definitions : List.of(0, -1, 501)) {
            as(Roles.WORKSPACE_OWNER).body(Map.of("scratchSchema", "la_check_input", "definitions", definitions)).post(CHECKS).then()
                    .statusCode(400).contentType("application/problem+json").body("errors[0].pointer", equalTo("/definitions"));
        }
        as(Roles.WORKSPACE_OWNER).get(CHECKS + "/no-such-check").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aSchemaWithTablesOrTheSnapshotSchemaIsRefusedAndKeepsItsRows() throws Exception {
        long carts = count("prod.carts");
        for (String schema : List.of("prod", "PROD", "segment_profiles")) {
            as(Roles.WORKSPACE_OWNER).body(Map.of("scratchSchema", schema)).post(CHECKS).then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].pointer", equalTo("/scratchSchema"))
                    .body("errors[0].message", containsString("already holds"));
        }
        for (String schema : List.of("la_compute", "LA_COMPUTE")) {
            as(Roles.WORKSPACE_OWNER).body(Map.of("scratchSchema", schema)).post(CHECKS).then().statusCode(400)
                    .body("errors[0].pointer", equalTo("/scratchSchema")).body("errors[0].message", containsString("snapshot schema"));
        }
        assertEquals(carts, count("prod.carts"));
        try (Connection c = LocalPostgres.connect(WAREHOUSE)) {
            assertTrue(new JdbcSession(c).tablesIn("prod").orElseThrow().contains("carts"));
        }
    }

    @Test
    void aCheckOnPostgresqlAgreesAndDropsItsScratchSchema() throws Exception {
        io.restassured.response.ExtractableResponse<io.restassured.response.Response> started = as(Roles.WORKSPACE_OWNER)
                .body(Map.of("scratchSchema", "la_check_api", "seed", 7, "definitions", 30)).post(CHECKS).then().statusCode(201)
                .body("status", equalTo("queued")).body("scratchSchema", equalTo("la_check_api")).body("definitions", is(30))
                .extract();
        String id = started.jsonPath().getString("id");
        assertTrue(started.header("Location").endsWith(CHECKS + "/" + id), started.header("Location"));

        JsonPath done = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(
                () -> as(Roles.WORKSPACE_OWNER).get(CHECKS + "/" + id).then().statusCode(200).extract().jsonPath(),
                check -> !List.of("queued", "running").contains(check.getString("status")));

        assertEquals("completed", done.getString("status"), done.prettify());
        assertEquals(Boolean.TRUE, done.getBoolean("agreed"), done.prettify());
        assertEquals("postgresql", done.getString("report.engine"));
        assertEquals(7L, done.getLong("report.seed"));
        assertEquals(8, done.getList("report.steps").size());
        for (Map<String, Object> step : done.<Map<String, Object>>getList("report.steps")) {
            assertEquals(30, step.get("compared"), step.toString());
            assertEquals(30, step.get("agreed"), step.toString());
        }
        assertTrue(done.getInt("report.coverage.withMembers") > 0, done.prettify());
        assertTrue(done.getBoolean("report.dropped"));
        try (Connection c = LocalPostgres.connect(WAREHOUSE)) {
            assertEquals(Optional.empty(), new JdbcSession(c).tablesIn("la_check_api"), "the scratch schema is dropped");
        }
    }

    private static long count(String table) throws Exception {
        try (Connection c = LocalPostgres.connect(WAREHOUSE); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
