package dev.linkedaudiences.alerting.notification;

import dev.linkedaudiences.alerting.AlertingFixtures;
import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.contracts.Topics;
import dev.linkedaudiences.testsupport.LocalInfrastructure;
import dev.linkedaudiences.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import static dev.linkedaudiences.alerting.AlertingFixtures.awaitStored;
import static dev.linkedaudiences.alerting.AlertingFixtures.send;
import static dev.linkedaudiences.alerting.AlertingFixtures.succeeded;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** The audience size change rule, end to end: run results through the real broker, notifications over HTTP. */
@QuarkusTest
@QuarkusTestResource(value = LocalInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = AlertingFixtures.DATABASE))
class AudienceSizeAlertTest {

    @Test
    void aBreachIsAnnouncedOnceAndItsRecoveryOnce() {
        String audienceId = UUID.randomUUID().toString();
        String tenPercent = createRule(audienceId, 10);
        String sixtyPercent = createRule(audienceId, 60);
        Instant start = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

        // The first result has nothing to compare with.
        runSucceeded(audienceId, 100, start);
        notifications(audienceId).body("", hasSize(0));

        // 100 -> 150 is 50%: above 10%, not above 60%.
        runSucceeded(audienceId, 150, start.plus(Duration.ofHours(1)));
        awaitNotifications(audienceId, 1)
                .body("[0].ruleId", equalTo(tenPercent))
                .body("[0].kind", equalTo("breach"))
                .body("[0].previousSize", equalTo(100))
                .body("[0].currentSize", equalTo(150))
                .body("[0].message", equalTo("Audience key-" + audienceId
                        + " size changed by 50% (100 -> 150) in 24 h, above the 10% threshold"));
        rule(tenPercent).body("state", equalTo("breached"));
        rule(sixtyPercent).body("state", equalTo("ok"));

        // Still breached: no second notification.
        runSucceeded(audienceId, 151, start.plus(Duration.ofHours(2)));
        notifications(audienceId).body("", hasSize(1));

        // Back to the baseline: the recovery is announced once, and the rule is ok again.
        runSucceeded(audienceId, 100, start.plus(Duration.ofMinutes(150)));
        awaitNotifications(audienceId, 2)
                .body("kind", contains("recovery", "breach"))
                .body("[0].ruleId", equalTo(tenPercent))
                .body("[0].message", equalTo("Audience key-" + audienceId
                        + " size is back within the 10% threshold: changed by 0% (100 -> 100) in 24 h"));
        rule(tenPercent).body("state", equalTo("ok"));

        runSucceeded(audienceId, 104, start.plus(Duration.ofMinutes(160)));
        notifications(audienceId).body("", hasSize(2));
    }

    @Test
    void withADayOfHistoryTheBaselineIsTheSize24HoursEarlier() {
        String audienceId = UUID.randomUUID().toString();
        Instant start = Instant.now().minus(30, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        runSucceeded(audienceId, 500, start);
        runSucceeded(audienceId, 1000, start.plus(Duration.ofHours(1)));
        createRule(audienceId, 10);

        // 24 h before start+25h is start+1h (1000): 5%. The oldest result (500) would have made it 110%.
        runSucceeded(audienceId, 1050, start.plus(Duration.ofHours(25)));
        notifications(audienceId).body("", hasSize(0));

        // 24 h before start+26h the latest result is still the one of start+1h: 1000 -> 1200 is 20%.
        runSucceeded(audienceId, 1200, start.plus(Duration.ofHours(26)));
        awaitNotifications(audienceId, 1)
                .body("[0].kind", equalTo("breach"))
                .body("[0].previousSize", equalTo(1000))
                .body("[0].currentSize", equalTo(1200));
    }

    static String createRule(String audienceId, double thresholdPercent) {
        return given().auth().oauth2(Tokens.forRole(Roles.ENGAGE_USER)).contentType(ContentType.JSON)
                .body(Map.of("audienceId", audienceId, "type", "audience_size_change", "thresholdPercent", thresholdPercent))
                .post("/api/v1/alerts")
                .then().statusCode(201)
                .extract().path("id");
    }

    /** Publishes a successful run as compute-service would, and waits until the service has stored and evaluated it. */
    static void runSucceeded(String audienceId, long size, Instant finishedAt) {
        String runId = UUID.randomUUID().toString();
        send(Topics.RUN_RESULTS, audienceId, succeeded(runId, audienceId, size, finishedAt));
        awaitStored(runId);
    }

    static ValidatableResponse notifications(String audienceId) {
        return given().auth().oauth2(Tokens.forRole(Roles.READ_ONLY)).queryParam("audienceId", audienceId)
                .get("/api/v1/notifications")
                .then().statusCode(200);
    }

    private static ValidatableResponse awaitNotifications(String audienceId, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> notifications(audienceId).extract().jsonPath()
                .getList("").size() == count);
        return notifications(audienceId).body("", hasSize(count));
    }

    private static ValidatableResponse rule(String id) {
        return given().auth().oauth2(Tokens.forRole(Roles.READ_ONLY)).get("/api/v1/alerts/" + id)
                .then().statusCode(200);
    }
}
