package dev.linkedaudiences.compute.hostile;

import dev.linkedaudiences.compute.run.FakeAudienceService;
import dev.linkedaudiences.testsupport.LocalInfrastructure;
import dev.linkedaudiences.testsupport.fuzz.HostileRequests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;

/** The hostile-request fuzz suite (test-support {@link HostileRequests}) over every operation of compute-service. */
@QuarkusTest
@QuarkusTestResource(value = LocalInfrastructure.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "database", value = "compute_test"),
        @ResourceArg(name = "warehouse", value = "compute_test_warehouse"),
        @ResourceArg(name = "warehouseScript", value = "../samples/abandoned-carts/warehouse.sql")})
@QuarkusTestResource(value = FakeAudienceService.class, restrictToAnnotatedClass = true)
class HostileRequestsTest {
    @TestHTTPResource
    URL base;

    @Test
    void noHostileRequestGetsA5xxOrANonProblemErrorOrPoisonsAList() throws Exception {
        HostileRequests.assertNoFindings(base.toURI(), 8);
    }
}
