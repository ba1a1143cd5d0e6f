package dev.linkedaudiences.audience.management;

import dev.linkedaudiences.audience.AudienceServiceTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.Matchers.containsString;

/**
 * Issue 12, finding 11: health, metrics and OpenAPI answer on the management interface only. On the API port they
 * are not found, also when asked for through dot segments that a normalizing router would fold into /q/metrics.
 */
@QuarkusTest
@AudienceServiceTestResource
class ManagementInterfaceTest {

    /** The management interface's port in this test run (quarkus.management.test-port=0 picks a free one). */
    static int managementPort() {
        return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }

    /** Requests sent as written: RestAssured would otherwise encode the % of %2e again. */
    private static RequestSpecification raw() {
        return RestAssured.given().urlEncodingEnabled(false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/q/metrics", "/q/health", "/q/health/ready", "/q/openapi",
            "/api/v1/templates/%2e%2e/%2e%2e/%2e%2e/q/metrics",
            "/api/v1/templates/%2e%2e/%2e%2e/%2e%2e/q/openapi",
            "/api/v1/templates/%2e%2e/%2e%2e/%2e%2e/q/health",
            "/api/v1/templates/../../../q/metrics",
            "/api/v1/templates/%2E%2E/%2E%2E/%2E%2E/q/metrics",
            "/api/v1/%2e%2e/%2e%2e/q/metrics"})
    void notOnTheApiPort(String path) {
        raw().get(path).then().statusCode(404);
    }

    @Test
    void onTheManagementPort() {
        int port = managementPort();
        RestAssured.given().port(port).get("/q/health/ready").then().statusCode(200);
        RestAssured.given().port(port).get("/q/health").then().statusCode(200);
        RestAssured.given().port(port).get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        RestAssured.given().port(port).get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/audiences"));
    }

    @Test
    void theApiIsNotOnTheManagementPort() {
        RestAssured.given().port(managementPort()).get("/api/v1/audiences").then().statusCode(404);
    }
}
