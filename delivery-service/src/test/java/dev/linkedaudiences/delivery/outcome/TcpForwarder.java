package dev.linkedaudiences.delivery.outcome;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An address of 127.0.0.1 where nothing listens (a broker that is not there) until {@link #open()}, from which on
 * it forwards every connection to {@code target}.
 */
final class TcpForwarder implements AutoCloseable {
    private final int port;
    private final String targetHost;
    private final int targetPort;
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    /** Both as {@code host:port}; {@code address} on 127.0.0.1. */
    TcpForwarder(String address, String target) {
        this.port = port(address);
        this.targetHost = target.substring(0, target.lastIndexOf(':'));
        this.targetPort = port(target);
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** A port that nothing listens on now. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void open() throws IOException {
        ServerSocket server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        open.add(server);
        daemon(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket target = new Socket(targetHost, targetPort);
                    open.add(client);
                    open.add(target);
                    daemon(() -> pipe(client, target));
                    daemon(() -> pipe(target, client));
                } catch (IOException e) {
                    return; // closed
                }
            }
        });
    }

    private static void pipe(Socket from, Socket to) {
        try (from; to) {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // one side closed: so is the other
        }
    }

    private static void daemon(Runnable task) {
        Thread thread = new Thread(task, "tcp-forwarder");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }
}
