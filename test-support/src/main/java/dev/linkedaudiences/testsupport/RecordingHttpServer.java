package dev.linkedaudiences.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on 127.0.0.1 that plays a destination (Iterable, Braze, Customer.io, Slack, a webhook) or a
 * service: it records every request and answers {@code 200 {"msg":"","code":"Success"}} unless faults were queued
 * ({@link #failNext}, {@link #delayNext} for timeouts, {@link #resetNext} for connections closed without an
 * answer), it is {@linkplain #down down} (an outage: every request answered with one status), or a path was
 * {@linkplain #stub stubbed}. Requests are handled concurrently.
 */
public final class RecordingHttpServer implements AutoCloseable {

    /**
     * What the server received, in order of arrival, and the status it answered (0: the connection was closed
     * without an answer). Header names are lower-case.
     */
    public record RecordedRequest(String method, String path, Map<String, String> headers, String body, int status) {
        public boolean succeeded() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * A queued answer: a status, a body and optional headers (e.g. Retry-After); {@code delayMillis} before
     * answering; {@code reset}: close the connection without answering.
     */
    public record Fault(int status, String body, Map<String, String> headers, long delayMillis, boolean reset) {
        public Fault(int status, String body, Map<String, String> headers) {
            this(status, body, headers, 0, false);
        }
    }

    private static final String SUCCESS = "{\"msg\":\"\",\"code\":\"Success\",\"params\":null}";

    private final HttpServer server;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Deque<Fault> faults = new ConcurrentLinkedDeque<>();
    private final Map<String, String> stubs = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile int downStatus;

    private RecordingHttpServer(HttpServer server) {
        this.server = server;
    }

    /** Starts on a free port of 127.0.0.1. */
    public static RecordingHttpServer start() {
        return start(0);
    }

    public static RecordingHttpServer start(int port) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            RecordingHttpServer recorder = new RecordingHttpServer(http);
            http.createContext("/", recorder::handle);
            http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "recording-http-server");
                thread.setDaemon(true);
                return thread;
            }));
            http.start();
            return recorder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next {@code times} requests get this answer instead of success (they are recorded all the same). */
    public void failNext(int times, int status, Map<String, String> headers) {
        for (int i = 0; i < times; i++) {
            faults.add(new Fault(status, "{\"msg\":\"injected fault\",\"code\":\"GenericError\"}", headers));
        }
    }

    /** The next {@code times} requests are answered after {@code delayMillis} (a client timeout shorter than it fails them). */
    public void delayNext(int times, long delayMillis) {
        for (int i = 0; i < times; i++) {
            faults.add(new Fault(200, SUCCESS, Map.of(), delayMillis, false));
        }
    }

    /** The next {@code times} requests get no answer: their connection is closed (a reset, to the client). */
    public void resetNext(int times) {
        for (int i = 0; i < times; i++) {
            faults.add(new Fault(0, "", Map.of(), 0, true));
        }
    }

    /** An outage: from now until {@link #up()}, every request is answered {@code status} (recorded all the same). */
    public void down(int status) {
        downStatus = status;
    }

    public void up() {
        downStatus = 0;
    }

    /** From now on, a request to {@code path} is answered 200 with {@code json} (a fault queued first still wins). */
    public void stub(String path, String json) {
        stubs.put(path, json);
    }

    public List<RecordedRequest> requests() {
        return new ArrayList<>(requests);
    }

    public List<RecordedRequest> requestsTo(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** What {@code GET /__recorded} answers: the recorded requests as a JSON array, for scripts. */
    public String recordedAsJson() {
        StringBuilder json = new StringBuilder("[");
        for (RecordedRequest r : requests) {
            json.append(json.length() > 1 ? "," : "").append("{\"method\":").append(quote(r.method()))
                    .append(",\"path\":").append(quote(r.path())).append(",\"status\":").append(r.status()).append(",\"headers\":{");
            String separator = "";
            for (Map.Entry<String, String> h : r.headers().entrySet()) {
                json.append(separator).append(quote(h.getKey())).append(':').append(quote(h.getValue()));
                separator = ",";
            }
            json.append("},\"body\":").append(quote(r.body())).append('}');
        }
        return json.append(']').toString();
    }

    private static String quote(String text) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }

    private void handle(HttpExchange exchange) throws IOException {
        if (exchange.getRequestURI().getPath().equals("/__recorded")) {
            answer(exchange, 200, recordedAsJson().getBytes(StandardCharsets.UTF_8));
            return;
        }
        Map<String, String> headers = new java.util.TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), String.join(",", values)));
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        int outage = downStatus;
        Fault fault = outage != 0 ? new Fault(outage, "{\"msg\":\"outage\",\"code\":\"GenericError\"}", Map.of()) : faults.poll();
        int answered = fault == null || fault.delayMillis() > 0 ? 200 : fault.reset() ? 0 : fault.status();
        requests.add(new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body, answered));
        if (fault != null && fault.reset()) {
            exchange.getRequestBody().close();
            exchange.close(); // no status line: the client sees the connection end without an answer
            return;
        }
        if (fault != null && fault.delayMillis() > 0) {
            try {
                Thread.sleep(fault.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            fault = null;
        }
        int status = fault == null ? 200 : fault.status();
        String path = exchange.getRequestURI().getPath();
        byte[] answer = (fault != null ? fault.body() : stubs.getOrDefault(path, SUCCESS)).getBytes(StandardCharsets.UTF_8);
        if (fault != null) {
            fault.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        }
        answer(exchange, status, answer);
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        if (server.getExecutor() instanceof java.util.concurrent.ExecutorService executor) {
            executor.shutdownNow();
        }
    }
}
