package dev.linkedaudiences.alerting.runresult;

import dev.linkedaudiences.alerting.AlertingFixtures;
import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.contracts.Topics;
import dev.linkedaudiences.contracts.event.DeliveryOutcome;
import dev.linkedaudiences.contracts.event.RunCompleted;
import dev.linkedaudiences.testsupport.LocalInfrastructure;
import dev.linkedaudiences.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.linkedaudiences.alerting.AlertingFixtures.awaitStored;
import static dev.linkedaudiences.alerting.AlertingFixtures.count;
import static dev.linkedaudiences.alerting.AlertingFixtures.send;
import static dev.linkedaudiences.alerting.AlertingFixtures.succeeded;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(value = LocalInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = AlertingFixtures.DATABASE))
class RunResultConsumerTest {

    @Test
    void aRedeliveredRunIsStoredOnce() {
        String audienceId = UUID.randomUUID().toString();
        Instant start = Instant.now().minus(2, ChronoUnit.HOURS);
        RunCompleted first = succeeded(UUID.randomUUID().toString(), audienceId, 100, start);
        RunCompleted redelivered = succeeded(UUID.randomUUID().toString(), audienceId, 200, start.plus(Duration.ofHours(1)));
        RunCompleted after = succeeded(UUID.randomUUID().toString(), audienceId, 200, start.plus(Duration.ofHours(2)));

        send(Topics.RUN_RESULTS, audienceId, first);
        send(Topics.RUN_RESULTS, audienceId, redelivered);
        send(Topics.RUN_RESULTS, audienceId, redelivered);
        send(Topics.RUN_RESULTS, audienceId, after);
        // Same key, same partition: once the last one is stored, the redelivery has been consumed too.
        awaitStored(after.runId());

        assertEquals(1, count("select count(*) from run_result where run_id = ?", redelivered.runId()));
        assertEquals(3, count("select count(*) from run_result where audience_id = ?", audienceId));
    }

    @Test
    void anUnreadableRecordIsSkippedAndTheNextOneIsStored() {
        String audienceId = UUID.randomUUID().toString();
        RunCompleted next = succeeded(UUID.randomUUID().toString(), audienceId, 100, Instant.now());

        send(Topics.RUN_RESULTS, audienceId, List.of("not", "a", "run"));
        send(Topics.RUN_RESULTS, audienceId, next);

        awaitStored(next.runId());
    }

    @Test
    void aFailedRunIsStoredButNeitherEvaluatedNorABaseline() {
        String audienceId = UUID.randomUUID().toString();
        given().auth().oauth2(Tokens.forRole(Roles.WORKSPACE_OWNER)).contentType(ContentType.JSON)
                .body(Map.of("audienceId", audienceId, "type", "audience_size_change", "thresholdPercent", 10))
                .post("/api/v1/alerts").then().statusCode(201);
        Instant start = Instant.now().minus(2, ChronoUnit.HOURS);
        RunCompleted failed = new RunCompleted(UUID.randomUUID().toString(), audienceId, "key", "failed", 0L, null, null,
                "warehouse unreachable", start, start.plusSeconds(5));
        RunCompleted ok = succeeded(UUID.randomUUID().toString(), audienceId, 100, start.plus(Duration.ofHours(1)));
        RunCompleted slightlyBigger = succeeded(UUID.randomUUID().toString(), audienceId, 105, start.plus(Duration.ofHours(2)));

        send(Topics.RUN_RESULTS, audienceId, failed);
        send(Topics.RUN_RESULTS, audienceId, ok);
        send(Topics.RUN_RESULTS, audienceId, slightlyBigger);
        awaitStored(slightlyBigger.runId());

        assertEquals(1, count("select count(*) from run_result where run_id = ? and status = 'failed'", failed.runId()));
        // Against the failed run's 0, 100 and 105 would have been breaches.
        assertEquals(0, count("select count(*) from notification where audience_id = ?", audienceId));
    }

    @Test
    void aDeliveryOutcomeIsStoredOncePerMessageAndStep() {
        String activationId = UUID.randomUUID().toString();
        Instant at = Instant.now();
        DeliveryOutcome failed = new DeliveryOutcome("m-1-" + activationId, activationId, "aud", "Entered", "failed", "HTTP 500", at);
        DeliveryOutcome retried = new DeliveryOutcome("m-1-" + activationId, activationId, "aud", "Entered", "successful", null, at.plusSeconds(60));
        DeliveryOutcome other = new DeliveryOutcome("m-2-" + activationId, activationId, "aud", "Entered", "successful", null, at);

        send(Topics.DELIVERY_OUTCOMES, activationId, failed);
        send(Topics.DELIVERY_OUTCOMES, activationId, retried);
        send(Topics.DELIVERY_OUTCOMES, activationId, retried);
        send(Topics.DELIVERY_OUTCOMES, activationId, other);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                count("select count(*) from delivery_outcome where message_id = ?", other.messageId()) == 1);

        assertEquals(3, count("select count(*) from delivery_outcome where activation_id = ?", activationId));
        assertEquals(1, count("select count(*) from delivery_outcome where message_id = ? and step = 'successful'",
                retried.messageId()));
    }
}
