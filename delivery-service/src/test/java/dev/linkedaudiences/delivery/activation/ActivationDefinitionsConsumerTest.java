package dev.linkedaudiences.delivery.activation;

import dev.linkedaudiences.contracts.Topics;
import dev.linkedaudiences.delivery.DeliveryFixtures;
import dev.linkedaudiences.delivery.DeliveryFixtures.TestActivation;
import dev.linkedaudiences.testsupport.LocalInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static dev.linkedaudiences.delivery.DeliveryFixtures.changed;
import static dev.linkedaudiences.delivery.DeliveryFixtures.count;
import static dev.linkedaudiences.delivery.DeliveryFixtures.publish;
import static dev.linkedaudiences.delivery.DeliveryFixtures.send;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(value = LocalInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = DeliveryFixtures.DATABASE))
class ActivationDefinitionsConsumerTest {
    private static final String URL = "http://127.0.0.1:9";

    @Test
    void keepsTheLatestStateAndIgnoresOlderChanges() {
        TestActivation activation = new TestActivation(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        Instant now = Instant.now();
        publish(changed(activation, URL, true, false, now));

        send(Topics.ACTIVATION_DEFINITIONS, activation.activationId(), changed(activation, URL, false, false, now.minusSeconds(60)));
        // The topic has one partition: once a later record is stored, the older change was consumed.
        publish(changed(new TestActivation(UUID.randomUUID().toString(), activation.audienceId()), URL, true, false, now));

        assertEquals(1, count("select count(*) from activation_state where id = ? and enabled", activation.activationId()));
        assertEquals(1, count("select count(*) from activation_state where id = ? and destination_type = 'iterable'"
                + " and action = 'trackEvent' and settings like '%apiKey%'", activation.activationId()));

        publish(changed(activation, URL, false, false, now.plusSeconds(60)));
        assertEquals(0, count("select count(*) from activation_state where id = ? and enabled", activation.activationId()));
    }

    @Test
    void forgetsADeletedActivation() {
        TestActivation activation = new TestActivation(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        Instant now = Instant.now();
        publish(changed(activation, URL, true, false, now));
        publish(changed(activation, URL, true, true, now.plusSeconds(1)));
        assertEquals(0, count("select count(*) from activation_state where id = ?", activation.activationId()));
    }
}
