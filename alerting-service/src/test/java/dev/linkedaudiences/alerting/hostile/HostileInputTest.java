package dev.linkedaudiences.alerting.hostile;

import dev.linkedaudiences.alerting.AlertingFixtures;
import dev.linkedaudiences.testsupport.LocalInfrastructure;
import dev.linkedaudiences.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** Issue 12's findings 10 and 11 against alerting-service: a null channel and a limit that is no number are 400s; an old token is a 401. */
@QuarkusTest
@QuarkusTestResource(value = LocalInfrastructure.class, initArgs = @ResourceArg(name = "database", value = AlertingFixtures.DATABASE))
class HostileInputTest {

    @Test
    void aNullChannelIsAProblemAtItsPointer() {
        given().header("Authorization", "Bearer " + Tokens.forRole("workspace_owner")).contentType("application/json")
                .body("{\"audienceId\":\"" + UUID.randomUUID() + "\",\"type\":\"audience_size_change\",\"thresholdPercent\":10,\"channels\":[null]}")
                .post("/api/v1/alerts").then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItem("/channels/0"));
    }

    @Test
    void aLimitThatIsNoNumberIsAProblemNamingIt() {
        given().header("Authorization", "Bearer " + Tokens.forRole("read_only")).get("/api/v1/notifications?limit=abc")
                .then().statusCode(400).contentType("application/problem+json").body("errors.pointer", hasItem("/limit"));
    }

    @Test
    void aTokenOlderThanADayIsRefusedThoughNotExpired() {
        given().header("Authorization", "Bearer " + Tokens.issuedAt("read_only", Instant.now().minus(Duration.ofHours(25))))
                .get("/api/v1/notifications").then().statusCode(401).contentType("application/problem+json").body("status", equalTo(401));
        given().header("Authorization", "Bearer " + Tokens.issuedAt("read_only", Instant.now().minus(Duration.ofHours(23))))
                .get("/api/v1/notifications").then().statusCode(200);
    }
}
