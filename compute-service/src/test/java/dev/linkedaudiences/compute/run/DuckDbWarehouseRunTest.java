package dev.linkedaudiences.compute.run;

import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.testsupport.LocalInfrastructure;
import dev.linkedaudiences.testsupport.LocalPostgres;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.linkedaudiences.compute.run.RunFlowTest.activation;
import static dev.linkedaudiences.compute.run.RunFlowTest.announce;
import static dev.linkedaudiences.compute.run.RunFlowTest.as;
import static dev.linkedaudiences.compute.run.RunFlowTest.eventsOf;
import static dev.linkedaudiences.compute.run.RunFlowTest.runNow;
import static dev.linkedaudiences.compute.run.RunFlowTest.sampleDefinition;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * DuckDB as the runtime warehouse ({@code warehouse.engine=duckdb}): the sample audience runs on a DuckDB file, and
 * between runs another process changes the file (the pool holds no connection while idle, so the file is not
 * locked), as bin/demo does; the next run emits the exit.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfrastructure.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "database", value = "compute_duckdb_test")})
@QuarkusTestResource(value = DuckDbWarehouse.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakeAudienceService.class, restrictToAnnotatedClass = true)
class DuckDbWarehouseRunTest {

    @Test
    void theSampleAudienceRunsOnADuckDbFileThatAnotherProcessUpdatesBetweenRuns() throws Exception {
        String audience = UUID.randomUUID().toString();
        String entered = UUID.randomUUID().toString();
        String exited = UUID.randomUUID().toString();
        announce(audience, "abandoned_carts", sampleDefinition());
        activation(entered, audience, "profile_entered", "Cart Abandoned", null);
        activation(exited, audience, "profile_exited", "Cart Recovered", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> activationsRead(audience) == 2);

        JsonPath first = runNow(audience);
        assertEquals("succeeded", first.getString("status"), first.prettify());
        assertEquals(2, first.getInt("changes.profilesEntered"));
        List<ActivationEvent> entries = eventsOf(first.getString("id"), 2);
        ActivationEvent andrew = entries.stream().filter(e -> e.profileId().equals("p_andrew")).findFirst().orElseThrow();
        assertEquals("u123", andrew.message().get("userId"));
        assertEquals(Map.of("audience_key", "abandoned_carts", "first_name", "Andrew", "last_name", "Shopper"), andrew.message().get("properties"));

        as("read_only").get("/api/v1/memberships/" + audience + "/profiles/p_andrew").then().statusCode(200)
                .body("matchedEntities[0].children[0].key", equalTo("123"));
        String definition = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(sampleDefinition());
        as("read_only").body("{\"definition\":" + definition + ",\"relationship\":\"products\",\"sampleSize\":5}")
                .post("/api/v1/previews").then().statusCode(200)
                .body("profileCount", equalTo(2)).body("matchedEntityCount", equalTo(3));

        DuckDbWarehouse.changeFromAnotherProcess("UPDATE prod.carts SET status = 'checked_out' WHERE id = '123'");

        JsonPath second = runNow(audience);
        assertEquals("succeeded", second.getString("status"), second.prettify());
        assertEquals(1, second.getInt("audienceSize"));
        assertEquals(1, second.getInt("changes.profilesExited"));
        List<ActivationEvent> exits = eventsOf(second.getString("id"), 1);
        assertEquals(1, exits.size());
        assertEquals("p_andrew", exits.get(0).profileId());
        assertEquals(exited, exits.get(0).activationId());
    }

    @Test
    void readinessNamesTheEngineOnceTheSnapshotSchemaExists() {
        int management = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> RestAssured.given().port(management).get("/q/health/ready")
                .then().statusCode(200)
                .body("checks.find { it.name == 'warehouse' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'warehouse' }.data.engine", equalTo("duckdb")));
    }

    private static long activationsRead(String audienceId) throws Exception {
        try (Connection c = LocalPostgres.connect("compute_duckdb_test"); Statement s = c.createStatement();
             var rows = s.executeQuery("SELECT count(*) FROM activation_state WHERE audience_id = '" + audienceId + "'")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
