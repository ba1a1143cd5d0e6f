package dev.linkedaudiences.alerting.hostile;

import dev.linkedaudiences.alerting.AlertingFixtures;
import dev.linkedaudiences.testsupport.LocalInfrastructure;
import dev.linkedaudiences.testsupport.fuzz.HostileRequests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;

/** The hostile-request fuzz suite (test-support {@link HostileRequests}) over every operation of alerting-service. */
@QuarkusTest
@QuarkusTestResource(value = LocalInfrastructure.class, initArgs = @ResourceArg(name = "database", value = AlertingFixtures.DATABASE))
class HostileRequestsTest {
    @TestHTTPResource
    URL base;

    @Test
    void noHostileRequestGetsA5xxOrANonProblemErrorOrPoisonsAList() throws Exception {
        HostileRequests.assertNoFindings(base.toURI(), 4);
    }
}
