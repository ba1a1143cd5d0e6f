package dev.linkedaudiences.delivery.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.linkedaudiences.contracts.Topics;
import dev.linkedaudiences.contracts.event.ActivationChanged;
import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.testsupport.LocalKafka;
import dev.linkedaudiences.testsupport.LocalPostgres;
import dev.linkedaudiences.testsupport.TestKeys;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The delivery benchmark (docs/benchmarks.md, "Delivery"), run by {@code bin/bench-delivery}: the packaged
 * delivery-service as its own process on the real broker and PostgreSQL, sending to a local sink (a JDK HTTP server
 * in this process that counts the messages it receives, by message id, and when).
 * <ol>
 *   <li>Throughput, to a webhook activation batching 100 per request with its rate limit out of the way: N events
 *   already in activation-events when delivery-service starts (events/s from ready to the last received), then N
 *   events produced as fast as the producer goes while it runs (from the first produced to the last received).</li>
 *   <li>Rate-limit adherence over a minute: a backlog for two activations limited to {@code send} 100 requests/s
 *   (one message each) and {@code batch} 5 requests/s (100 each); requests/s the sink received over 60 s of steady
 *   state, against the configured rate.</li>
 *   <li>Added latency at 1k events/s: events produced at a steady 1,000/s for 30 s, each carrying its send time;
 *   p50/p99 of (received by the sink - produced).</li>
 *   <li>Isolation: a backlog of B events (one per profile, as a first run's backfill) for a webhook limited to
 *   {@code send} 100 requests/s, all stored; then a second activation, to another destination, gets 200 events/s
 *   for 60 s: p50/p99 of its events' (received - produced), and the backlog's requests/s meanwhile.</li>
 *   <li>Replicas: two delivery-service processes on one database and consumer group, a backlog for one webhook
 *   limited to {@code send} 100 requests/s: requests/s the sink received over 60 s, against the configured rate.</li>
 * </ol>
 * Each of the last two starts from a fresh database and topics. Arguments: the repository root, N (default 200000),
 * the scenarios ({@code all} by default; {@code throughput} for the throughput runs only, {@code isolation},
 * {@code replicas}) and B (default 389023). The environment variable {@code DELIVERY_JAVA_OPTS} adds JVM options to
 * the service's command line (a flight recording, a heap size).
 */
public final class DeliveryBenchmark {
    private static final Pattern MESSAGE_ID = Pattern.compile("\"messageId\":\"b([a-z])(\\d+)-(\\d+)\"");
    /**
     * The database of the throughput, rate-limit and latency runs; isolation and replicas have their own. Not
     * {@code delivery_bench}, which bin/bench-runs recreates: the two benchmarks may run at once.
     */
    private static final String DATABASE = "delivery_benchmark";
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** What the sink received for one scenario. */
    static final class Received {
        final Set<Long> distinct = ConcurrentHashMap.newKeySet();
        final AtomicLong messages = new AtomicLong();
        final ConcurrentLinkedQueue<Long> requestNanos = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Long> latencyMillis = new ConcurrentLinkedQueue<>();
        volatile long lastNanos;
    }

    private final Map<String, Received> received = new ConcurrentHashMap<>();
    private final Path root;
    private String database;
    private String prefix;
    private String sinkUrl;

    private DeliveryBenchmark(Path root) {
        this.root = root;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        String scenarios = args.length > 2 ? args[2] : "all";
        int backlog = args.length > 3 ? Integer.parseInt(args[3]) : 389_023;
        new DeliveryBenchmark(root).run(n, scenarios, backlog);
    }

    private Received scenario(String path) {
        return received.computeIfAbsent(path, p -> new Received());
    }

    private void run(int n, String scenarios, int backlog) throws Exception {
        HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        sink.createContext("/", this::receive);
        sink.setExecutor(Executors.newFixedThreadPool(8));
        sink.start();
        sinkUrl = "http://127.0.0.1:" + sink.getAddress().getPort();
        try {
            if (scenarios.equals("all") || scenarios.equals("throughput")) {
                measureThroughputRateLimitsAndLatency(n, scenarios.equals("throughput"));
            }
            if (scenarios.equals("all") || scenarios.equals("isolation")) {
                measureIsolation(backlog);
            }
            if (scenarios.equals("all") || scenarios.equals("replicas")) {
                measureReplicas();
            }
        } finally {
            sink.stop(0);
            ((java.util.concurrent.ExecutorService) sink.getExecutor()).shutdownNow();
        }
    }

    /** A fresh database and fresh topics for the scenarios that follow. */
    private void freshEnvironment(String name) {
        database = name;
        LocalPostgres.recreateDatabase(database);
        prefix = LocalKafka.createTopicsWithFreshPrefix();
    }

    private void measureThroughputRateLimitsAndLatency(int n, boolean throughputOnly) throws Exception {
        freshEnvironment(DATABASE);
        Ports ports = Ports.free();
        Process service = startService(ports, "bench-delivery-service");
        String throughput = activation("webhook", Map.of("url", sinkUrl + "/a", "secret", "s", "bulk", "true", "rateLimit.batch", "100000"));
        String backlog = activation("webhook", Map.of("url", sinkUrl + "/e", "secret", "s", "bulk", "true", "rateLimit.batch", "100000"));
        String single = activation("webhook", Map.of("url", sinkUrl + "/b", "secret", "s", "rateLimit.send", "100"));
        String batched = activation("webhook", Map.of("url", sinkUrl + "/c", "secret", "s", "bulk", "true", "rateLimit.batch", "5"));
        String latency = activation("webhook", Map.of("url", sinkUrl + "/d", "secret", "s", "bulk", "true", "rateLimit.batch", "1000"));
        try {
            awaitReady(ports);
            awaitActivations(5);
            try (KafkaProducer<String, String> producer = producer()) {
                // 1a. Throughput from a backlog: N events already in Kafka when delivery-service starts.
                service.destroy();
                service.waitFor();
                produce(producer, backlog, "e", n, Math.max(1, n / 4), 0);
                service = startService(ports, "bench-delivery-service");
                awaitReady(ports);
                long ready = System.nanoTime();
                Received e = scenario("/e");
                awaitCount(e, n, 600);
                double drained = (e.lastNanos - ready) / 1e9;
                System.out.printf("[bench] throughput from a backlog in Kafka: %,d events in %.2f s from ready = %,.0f events/s%n",
                        n, drained, n / drained);

                // 1b. Throughput while producing: from the first event produced to the last received.
                long start = System.nanoTime();
                produce(producer, throughput, "a", n, Math.max(1, n / 4), 0);
                long produced = System.nanoTime();
                Received a = scenario("/a");
                awaitCount(a, n, 600);
                double seconds = (a.lastNanos - start) / 1e9;
                System.out.printf("[bench] throughput while producing: %,d events in %.2f s = %,.0f events/s (produced in %.2f s)%n",
                        n, seconds, n / seconds, (produced - start) / 1e9);
                if (throughputOnly) {
                    return;
                }

                // 2. Rate-limit adherence over a minute
                produce(producer, single, "b", 8_000, 8_000, 0);
                produce(producer, batched, "c", 40_000, 40_000, 0);
                Received b = scenario("/b");
                Received c = scenario("/c");
                awaitCount(b, 1, 60);
                awaitCount(c, 1, 60);
                Thread.sleep(70_000);
                report("send (1 message per request)", b, 100);
                report("batch (100 messages per request)", c, 5);

                // 3. Latency at 1k events/s
                Received d = scenario("/d");
                int paced = 30_000;
                produce(producer, latency, "d", paced, paced, 1000);
                awaitCount(d, paced, 120);
                reportLatency("latency at 1,000 events/s for 30 s", d);
            }
        } finally {
            service.destroy();
            service.waitFor();
        }
    }

    /**
     * A backlog for a destination limited to 100 requests/s, all stored and pending, then another activation's events
     * at 200/s for 60 s: how long they take, while the backlog drains at its limit.
     */
    private void measureIsolation(int backlog) throws Exception {
        freshEnvironment(DATABASE + "_isolation");
        Ports ports = Ports.free();
        Process service = startService(ports, "bench-delivery-service");
        try (KafkaProducer<String, String> producer = producer()) {
            String limited = activation("webhook", Map.of("url", sinkUrl + "/x", "secret", "s", "rateLimit.send", "100"));
            String steady = activation("webhook", Map.of("url", sinkUrl + "/y", "secret", "s", "rateLimit.send", "1000"));
            awaitReady(ports);
            awaitActivations(2);
            long start = System.nanoTime();
            produce(producer, limited, "x", backlog, backlog, 0);
            awaitStored(backlog, 600);
            System.out.printf("[bench] isolation: backlog of %,d events produced and stored in %.1f s%n", backlog,
                    (System.nanoTime() - start) / 1e9);
            Received x = scenario("/x");
            Received y = scenario("/y");
            int paced = 12_000;
            long from = System.nanoTime();
            produce(producer, steady, "y", paced, paced, 200);
            awaitCount(y, paced, 120);
            reportLatency("isolation: the other activation at 200 events/s for 60 s", y);
            long meanwhile = x.requestNanos.stream().filter(t -> t >= from && t <= y.lastNanos).count();
            System.out.printf("[bench] isolation: meanwhile the backlog got %.1f requests/s (configured 100); %,d of %,d still pending%n",
                    meanwhile / ((y.lastNanos - from) / 1e9), backlog - x.messages.get(), backlog);
        } finally {
            service.destroy();
            service.waitFor();
        }
    }

    /** Two instances on one database and consumer group, one destination limited to 100 requests/s. */
    private void measureReplicas() throws Exception {
        freshEnvironment(DATABASE + "_replicas");
        Ports[] ports = {Ports.free(), Ports.free()};
        Process first = startService(ports[0], "bench-delivery-service-1");
        Process second = startService(ports[1], "bench-delivery-service-2");
        try (KafkaProducer<String, String> producer = producer()) {
            String limited = activation("webhook", Map.of("url", sinkUrl + "/r", "secret", "s", "rateLimit.send", "100"));
            awaitReady(ports[0]);
            awaitReady(ports[1]);
            awaitActivations(1);
            awaitRows("select count(*) from delivery_instance", 2);
            Thread.sleep(5_000); // both have seen each other's heartbeat (delivery.instance-heartbeat: 2 s)
            produce(producer, limited, "r", 10_000, 10_000, 0);
            Received r = scenario("/r");
            awaitCount(r, 1, 60);
            Thread.sleep(70_000);
            report("two instances, send (1 message per request)", r, 100);
        } finally {
            for (Process service : List.of(first, second)) {
                service.destroy();
                service.waitFor();
            }
        }
    }

    private static void reportLatency(String what, Received r) {
        long[] latencies = r.latencyMillis.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("[bench] %s (%,d events): p50 %d ms, p99 %d ms, max %d ms%n",
                what, latencies.length, percentile(latencies, 50), percentile(latencies, 99), latencies[latencies.length - 1]);
    }

    private void receive(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        long nowMillis = System.currentTimeMillis();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Received r = scenario(exchange.getRequestURI().getPath());
        r.requestNanos.add(now);
        Matcher m = MESSAGE_ID.matcher(body);
        while (m.find()) {
            if (r.distinct.add(Long.parseLong(m.group(2)))) {
                r.messages.incrementAndGet();
                r.latencyMillis.add(nowMillis - Long.parseLong(m.group(3)));
            }
        }
        r.lastNanos = now;
        byte[] answer = "{\"message\":\"success\"}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    /** Requests/s over 60 s of steady state (from 5 s after the first request), against the configured rate. */
    private static void report(String endpoint, Received r, double configured) {
        List<Long> times = new ArrayList<>(r.requestNanos);
        times.sort(Long::compare);
        long from = times.get(0) + 5_000_000_000L;
        long to = from + 60_000_000_000L;
        long inWindow = times.stream().filter(t -> t >= from && t < to).count();
        double achieved = inWindow / 60.0;
        System.out.printf("[bench] rate limit %s: configured %.0f requests/s, achieved %.2f requests/s over 60 s (%+.1f%%)%n",
                endpoint, configured, achieved, (achieved - configured) / configured * 100);
    }

    private static long percentile(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    /**
     * Produces {@code count} events of {@code activationId} over {@code profiles} profiles (so count/profiles per
     * profile), at {@code perSecond} (0: as fast as possible); each message id carries its send time.
     */
    private void produce(KafkaProducer<String, String> producer, String activationId, String scenario, int count,
                         int profiles, int perSecond) throws Exception {
        String topic = prefix + Topics.ACTIVATION_EVENTS;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (perSecond > 0) {
                long due = start + (long) i * 1_000_000_000L / perSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            String profile = "p" + (i % profiles);
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("type", "track");
            message.put("event", "abandoned_carts_linked_audience");
            message.put("messageId", "b" + scenario + i + "-" + System.currentTimeMillis());
            message.put("timestamp", "2026-11-24T08:00:00Z");
            message.put("userId", "user-" + profile);
            message.put("context", Map.of("traits", Map.of("email", profile + "@example.com"),
                    "personas", Map.of("computation_class", "audience", "computation_key", "abandoned_carts")));
            message.put("properties", Map.of("audience_key", "abandoned_carts", "first_name", "Andrew", "last_name", "Shopper",
                    "shopping_cart__id", "cart-" + i, "shopping_cart__products", List.of(
                            Map.of("id", "324", "product_name", "Premium Tennis Shoes", "product_price", "$140", "__entity", "product"),
                            Map.of("id", "489", "product_name", "Premium Jacket", "product_price", "$200", "__entity", "product")),
                    "__entity", "cart"));
            ActivationEvent event = new ActivationEvent(activationId, "audience-bench", "run-bench", profile, "entity_entered", message);
            producer.send(new ProducerRecord<>(topic, event.partitionKey(), JSON.writeValueAsString(event)));
        }
        producer.flush();
    }

    private String activation(String type, Map<String, String> settings) throws Exception {
        String id = UUID.randomUUID().toString();
        ActivationChanged changed = new ActivationChanged(id, "audience-bench", "abandoned_carts", "entity_entered",
                "abandoned_carts_linked_audience", null, new ActivationChanged.Enrichment(List.of()), true, true, "valid", false,
                new ActivationChanged.Destination("dest-" + id, type, "send", settings), Instant.now());
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(prefix + Topics.ACTIVATION_DEFINITIONS, id, JSON.writeValueAsString(changed))).get();
        }
        return id;
    }

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalKafka.BOOTSTRAP,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"));
    }

    /** A process's API port and its management port (health, metrics: not on the API port). */
    private record Ports(int api, int management) {
        static Ports free() throws IOException {
            return new Ports(freePort(), freePort());
        }
    }

    private Process startService(Ports ports, String logName) throws IOException {
        List<String> command = new ArrayList<>(List.of("java", "-Xmx768m"));
        String javaOptions = System.getenv("DELIVERY_JAVA_OPTS");
        if (javaOptions != null && !javaOptions.isBlank()) {
            command.addAll(Arrays.asList(javaOptions.trim().split("\\s+")));
        }
        command.addAll(List.of(
                "-Dquarkus.http.port=" + ports.api(),
                "-Dquarkus.management.port=" + ports.management(),
                "-Dquarkus.datasource.jdbc.url=" + LocalPostgres.jdbcUrl(database),
                "-Dquarkus.datasource.reactive.url=" + LocalPostgres.reactiveUrl(database),
                "-Dkafka.bootstrap.servers=" + LocalKafka.BOOTSTRAP,
                "-Dla.topic-prefix=" + prefix,
                "-Dmp.jwt.verify.publickey.location=" + TestKeys.publicKeyFile(),
                "-Ddelivery.url-policy.allow-http=true",
                "-Ddelivery.url-policy.allowed-hosts=127.0.0.1",
                "-Dquarkus.log.level=WARN"));
        command.add("-jar");
        command.add(root.resolve("delivery-service/target/quarkus-app/quarkus-run.jar").toString());
        File log = root.resolve("delivery-service/target/" + logName + ".log").toFile();
        System.out.println("[bench] delivery-service log: " + log);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }

    private static void awaitReady(Ports ports) throws Exception {
        for (int i = 0; i < 120; i++) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + ports.management() + "/q/health/ready").toURL().openConnection();
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("delivery-service did not become ready");
    }

    private void awaitActivations(int count) throws Exception {
        awaitRows("select count(*) from activation_state", count);
    }

    private void awaitStored(int count, int seconds) throws Exception {
        awaitRows("select count(*) from delivery_event", count, seconds);
    }

    private void awaitRows(String countQuery, int count) throws Exception {
        awaitRows(countQuery, count, 60);
    }

    /** Waits until {@code countQuery} counts {@code count}. */
    private void awaitRows(String countQuery, int count, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Connection c = LocalPostgres.connect(database);
                 ResultSet r = c.createStatement().executeQuery(countQuery)) {
                r.next();
                if (r.getInt(1) == count) {
                    return;
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("not " + count + " after " + seconds + " s: " + countQuery);
    }

    private static void awaitCount(Received r, long count, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (r.messages.get() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("received " + r.messages.get() + " of " + count);
            }
            Thread.sleep(20);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
