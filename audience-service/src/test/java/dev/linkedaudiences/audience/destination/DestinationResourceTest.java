package dev.linkedaudiences.audience.destination;

import dev.linkedaudiences.audience.AudienceServiceTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.linkedaudiences.audience.Api.as;
import static dev.linkedaudiences.audience.Api.owner;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

/** Destination settings are checked when saved: URLs against the outgoing URL policy, rate limits, retry windows. */
@QuarkusTest
@AudienceServiceTestResource
class DestinationResourceTest {

    private static io.restassured.response.ValidatableResponse create(String type, Map<String, String> settings) {
        return owner().body(Map.of("name", "d", "type", type, "settings", settings)).post("/api/v1/destinations").then();
    }

    @Test
    void urlsMustBeHttpsToPublicAddresses() {
        // Literal addresses: no DNS needed. The test configuration allow-lists nothing.
        create("iterable", Map.of("apiKey", "k", "baseUrl", "https://93.184.216.34")).statusCode(201);
        create("iterable", Map.of("apiKey", "k", "baseUrl", "http://93.184.216.34")).statusCode(400)
                .contentType("application/problem+json")
                .body("errors.pointer", hasItem("/settings/baseUrl"))
                .body("errors.message", hasItem("baseUrl is not allowed: only https URLs"));
        create("webhook", Map.of("url", "https://127.0.0.1:8443/hook", "secret", "s")).statusCode(400)
                .body("errors.pointer", hasItem("/settings/url"))
                .body("errors.message", hasItem(containsString("is not a public address: loopback")));
        create("braze", Map.of("apiKey", "k", "endpoint", "https://169.254.169.254")).statusCode(400)
                .body("errors.pointer", hasItem("/settings/endpoint"));
        create("customerio", Map.of("siteId", "s", "apiKey", "k", "baseUrl", "https://10.1.2.3")).statusCode(400)
                .body("errors.pointer", hasItem("/settings/baseUrl"));
        create("webhook", Map.of("url", "https://[::1]/hook", "secret", "s")).statusCode(400)
                .body("errors.pointer", hasItem("/settings/url"));
    }

    @Test
    void customerIoTakesSiteIdAndAWriteOnlyApiKey() {
        String id = create("customerio", Map.of("siteId", "site-1", "apiKey", "cio-secret", "region", "eu", "bulk", "true"))
                .statusCode(201).extract().path("id");
        as("read_only").get("/api/v1/destinations/" + id).then().statusCode(200)
                .body("settings.siteId", equalTo("site-1")).body("settings.region", equalTo("eu"))
                .body("secretsSet", hasItem("apiKey")).body(not(containsString("cio-secret")));
        create("customerio", Map.of("apiKey", "k", "region", "mars")).statusCode(400)
                .body("errors.pointer", hasItems("/settings/siteId", "/settings/region"));
    }

    @Test
    void rateLimitsRetryWindowsAndHeadersAreChecked() {
        create("iterable", Map.of("apiKey", "k", "bulk", "true", "rateLimit.trackBulk", "4", "retryWindow", "PT1H"))
                .statusCode(201);
        create("webhook", Map.of("url", "https://93.184.216.34/hook", "secret", "s", "header.X-Team", "growth",
                "rateLimit.batch", "2.5")).statusCode(201);
        create("iterable", Map.of("apiKey", "k", "rateLimit.track", "-1", "rateLimit.fax", "3", "retryWindow", "4 hours",
                "bulk", "maybe", "header.X-Team", "growth")).statusCode(400)
                .body("errors.pointer", hasItems("/settings/rateLimit.track", "/settings/rateLimit.fax",
                        "/settings/retryWindow", "/settings/bulk", "/settings/header.X-Team"));
    }
}
