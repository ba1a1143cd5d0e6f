package dev.linkedaudiences.delivery.destination;

import dev.linkedaudiences.delivery.DeliveryFixtures;
import dev.linkedaudiences.testsupport.LocalInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.linkedaudiences.delivery.DeliveryFixtures.PATIENCE;
import static dev.linkedaudiences.delivery.DeliveryFixtures.count;
import static dev.linkedaudiences.delivery.DeliveryFixtures.execute;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Another instance's heartbeat halves this one's rate limits; once it is gone, the whole rate comes back. */
@QuarkusTest
@QuarkusTestResource(value = LocalInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = DeliveryFixtures.DATABASE))
class LiveInstancesTest {
    private static final Endpoint SEND = new Endpoint("send", 1, 1_000_000, 100);

    @Inject
    RateLimits rateLimits;

    @Test
    void theLiveInstancesShareEachDestinationsLimit() {
        await().atMost(PATIENCE).until(() -> count("select count(*) from delivery_instance") == 1);
        try {
            execute("insert into delivery_instance (id, seen_at) values ('other', now())");
            await().atMost(PATIENCE).until(() -> rateLimits.instances() == 2);
            assertEquals(50.0, rateLimits.forEndpoint("dest-live", SEND, Map.of()).configuredRate());

            // Its heartbeat stopped longer ago than delivery.instance-timeout: no longer counted, then forgotten.
            execute("update delivery_instance set seen_at = now() - interval '1 minute' where id = 'other'");
            await().atMost(PATIENCE).until(() -> rateLimits.instances() == 1);
            assertEquals(100.0, rateLimits.forEndpoint("dest-live", SEND, Map.of()).configuredRate());
            assertEquals(0, count("select count(*) from delivery_instance where id = 'other'"));
        } finally {
            execute("delete from delivery_instance where id = 'other'");
        }
    }
}
