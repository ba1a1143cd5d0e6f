package dev.linkedaudiences.compute.warehouse;

import dev.linkedaudiences.compute.run.FakeAudienceService;
import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.testsupport.LocalInfrastructure;
import dev.linkedaudiences.testsupport.LocalPostgres;
import dev.linkedaudiences.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * {@code GET /api/v1/warehouse/catalog} on the sample warehouse (the same resources as the other compute tests, so
 * they share one boot): the asked schemas' tables with typed columns, the default schema's by bare name, a bad schema
 * parameter refused at /schema, and a warehouse that refuses connections answered with a 503 that says so.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfrastructure.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "database", value = "compute_test"),
        @ResourceArg(name = "warehouse", value = CatalogResourceTest.WAREHOUSE),
        @ResourceArg(name = "warehouseScript", value = "../samples/abandoned-carts/warehouse.sql")})
@QuarkusTestResource(value = FakeAudienceService.class, restrictToAnnotatedClass = true)
class CatalogResourceTest {
    static final String WAREHOUSE = "compute_test_warehouse";

    private static RequestSpecification as(String role) {
        return RestAssured.given().header("Authorization", "Bearer " + Tokens.forRole(role));
    }

    @Test
    void theAskedSchemasTablesWithTheirColumnsTypes() {
        as(Roles.READ_ONLY).queryParam("schema", "segment_profiles").queryParam("schema", "prod")
                .get("/api/v1/warehouse/catalog").then().statusCode(200)
                .body("tables.'segment_profiles.profile_traits'", equalTo(Map.of("canonical_segment_id", "STRING",
                        "first_name", "STRING", "last_name", "STRING", "plan", "STRING", "merged_to", "STRING")))
                .body("tables.'segment_profiles.order_completed'", equalTo(Map.of("id", "STRING", "segment_id", "STRING",
                        "timestamp", "TIMESTAMP", "total", "NUMBER")))
                .body("tables", hasKey("prod.carts"))
                .body("tables", not(hasKey("profile_traits")));
    }

    @Test
    void noSchemaIsTheDefaultSchemaWithTablesByBareName() throws Exception {
        try (Connection c = LocalPostgres.connect(WAREHOUSE); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS public.catalog_default_probe (id TEXT, seen_at TIMESTAMP, n INTEGER)");
        }
        as(Roles.ENGAGE_USER).get("/api/v1/warehouse/catalog").then().statusCode(200)
                .body("tables.catalog_default_probe", equalTo(Map.of("id", "STRING", "seen_at", "TIMESTAMP", "n", "NUMBER")))
                .body("tables", not(hasKey("segment_profiles.profile_traits")));
    }

    @Test
    void aSchemaWithoutTablesHasNone() {
        as(Roles.WORKSPACE_OWNER).queryParam("schema", "no_such_schema").get("/api/v1/warehouse/catalog")
                .then().statusCode(200).body("tables", aMapWithSize(0));
    }

    @Test
    void aBadSchemaParameterIsA400AtItsPlace() {
        for (String bad : new String[]{"segment_profiles.profile_traits", "x".repeat(256), "tab\tname"}) {
            as(Roles.READ_ONLY).queryParam("schema", "prod").queryParam("schema", bad).get("/api/v1/warehouse/catalog")
                    .then().statusCode(400).contentType(startsWith("application/problem+json"))
                    .body("errors[0].pointer", equalTo("/schema/1"));
        }
        RequestSpecification many = as(Roles.READ_ONLY);
        for (int i = 0; i <= CatalogResource.MAX_SCHEMAS; i++) {
            many.queryParam("schema", "s" + i);
        }
        many.get("/api/v1/warehouse/catalog").then().statusCode(400).body("errors[0].pointer", equalTo("/schema"));
        RestAssured.given().get("/api/v1/warehouse/catalog").then().statusCode(401);
    }

    @Test
    void aWarehouseThatRefusesConnectionsIsA503ThatSaysSo() throws Exception {
        try (Connection admin = LocalPostgres.connect("postgres"); Statement s = admin.createStatement()) {
            // the warehouse database stops accepting connections, and the pooled ones are cut
            s.execute("ALTER DATABASE " + WAREHOUSE + " ALLOW_CONNECTIONS false");
            try {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + WAREHOUSE + "'");
                as(Roles.READ_ONLY).queryParam("schema", "segment_profiles").get("/api/v1/warehouse/catalog")
                        .then().statusCode(503).contentType(startsWith("application/problem+json"))
                        .body("detail", containsString("the warehouse is unreachable"));
            } finally {
                s.execute("ALTER DATABASE " + WAREHOUSE + " ALLOW_CONNECTIONS true");
            }
        }
        as(Roles.READ_ONLY).queryParam("schema", "segment_profiles").get("/api/v1/warehouse/catalog")
                .then().statusCode(200).body("tables", hasKey("segment_profiles.profile_traits"));
    }
}
