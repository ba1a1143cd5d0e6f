package dev.linkedaudiences.audience.hostile;

import dev.linkedaudiences.audience.AudienceServiceTestResource;
import dev.linkedaudiences.testsupport.fuzz.HostileRequests;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;

import static dev.linkedaudiences.audience.Api.sampleDataGraph;

/** The hostile-request fuzz suite (test-support {@link HostileRequests}) over every operation of audience-service. */
@QuarkusTest
@AudienceServiceTestResource
class HostileRequestsTest {
    @TestHTTPResource
    URL base;

    @Test
    void noHostileRequestGetsA5xxOrANonProblemErrorOrPoisonsAList() throws Exception {
        sampleDataGraph();
        HostileRequests.assertNoFindings(base.toURI(), 15);
        sampleDataGraph(); // the graph the other tests expect, whatever a hostile PUT left
    }
}
