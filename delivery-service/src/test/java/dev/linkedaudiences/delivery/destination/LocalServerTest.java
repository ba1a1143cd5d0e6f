package dev.linkedaudiences.delivery.destination;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.testsupport.RecordingHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A test of one destination against a real local server that records requests: a fresh sender and server per test. */
public abstract class LocalServerTest {
    protected final ObjectMapper json = new ObjectMapper();
    protected TestSender sender;
    protected RecordingHttpServer server;

    @BeforeEach
    void startServer() {
        sender = new TestSender();
        server = RecordingHttpServer.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
        sender.close();
    }
}
