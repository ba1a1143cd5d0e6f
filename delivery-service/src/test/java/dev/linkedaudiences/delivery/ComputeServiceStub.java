package dev.linkedaudiences.delivery;

import dev.linkedaudiences.testsupport.RecordingHttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * A real local server playing compute-service for every delivery test (test events ask it for messages): one for
 * the whole test run, so that all test classes keep sharing one application boot.
 */
public class ComputeServiceStub implements QuarkusTestResourceLifecycleManager {
    private static RecordingHttpServer server;

    public static synchronized RecordingHttpServer server() {
        if (server == null) {
            server = RecordingHttpServer.start();
        }
        return server;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.rest-client.compute-service.url", server().baseUrl());
    }

    @Override
    public void stop() {
    }
}
