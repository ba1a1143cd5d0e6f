package dev.linkedaudiences.testsupport;

/**
 * Runs a {@link RecordingHttpServer} as a process, for {@code bin/demo}: a local stand-in for Iterable that
 * records what it receives ({@code GET /__recorded} lists it). Argument: the port. Needs nothing but the JDK.
 */
public final class FakeDestinationMain {
    public static void main(String[] args) throws InterruptedException {
        RecordingHttpServer server = RecordingHttpServer.start(Integer.parseInt(args[0]));
        System.out.println("fake destination listening on " + server.baseUrl());
        Thread.currentThread().join();
    }

    private FakeDestinationMain() {
    }
}
