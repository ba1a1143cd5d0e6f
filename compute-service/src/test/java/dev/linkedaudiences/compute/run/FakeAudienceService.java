package dev.linkedaudiences.compute.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.testsupport.RecordingHttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** A real HTTP server playing audience-service for compute-service: it answers the sample data graph. */
public class FakeAudienceService implements QuarkusTestResourceLifecycleManager {
    private RecordingHttpServer server;

    @Override
    public Map<String, String> start() {
        server = RecordingHttpServer.start();
        try {
            server.stub("/api/v1/data-graph", new ObjectMapper().findAndRegisterModules().writeValueAsString(RunFlowTest.sampleGraph()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of("quarkus.rest-client.audience-service.url", server.baseUrl());
    }

    @Override
    public void stop() {
        server.close();
    }
}
