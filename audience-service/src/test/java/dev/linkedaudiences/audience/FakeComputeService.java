package dev.linkedaudiences.audience;

import dev.linkedaudiences.testsupport.RecordingHttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real local server playing compute-service for every audience-service test: {@code GET /api/v1/warehouse/catalog}
 * answers what compute-service answers for the sample warehouse (samples/abandoned-carts/warehouse.sql, schemas
 * segment_profiles and prod), in its JSON shape; faults are queued on {@link #server()}. One for the whole test run,
 * so that all test classes keep sharing one application boot. Each attempt times out after
 * {@link #READ_TIMEOUT_MILLIS}, so that the timeout tests are quick.
 */
public class FakeComputeService implements QuarkusTestResourceLifecycleManager {
    public static final String CATALOG = "/api/v1/warehouse/catalog";
    public static final long READ_TIMEOUT_MILLIS = 1500;
    private static RecordingHttpServer server;

    public static synchronized RecordingHttpServer server() {
        if (server == null) {
            server = RecordingHttpServer.start();
            try {
                server.stub(CATALOG, Files.readString(Path.of("src/test/resources/compute-catalog-sample-warehouse.json")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return server;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.rest-client.compute-service.url", server().baseUrl(),
                "quarkus.rest-client.compute-service.read-timeout", String.valueOf(READ_TIMEOUT_MILLIS));
    }

    @Override
    public void stop() {
    }
}
