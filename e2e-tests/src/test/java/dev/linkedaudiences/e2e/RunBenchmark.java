package dev.linkedaudiences.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.linkedaudiences.contracts.Topics;
import dev.linkedaudiences.contracts.definition.AudienceDefinition;
import dev.linkedaudiences.contracts.event.ActivationChanged;
import dev.linkedaudiences.contracts.event.AudienceChanged;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.testsupport.LocalKafka;
import dev.linkedaudiences.testsupport.LocalPostgres;
import dev.linkedaudiences.testsupport.Tokens;
import dev.linkedaudiences.testsupport.WarehouseCatalog;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The run benchmark (docs/benchmarks.md, "Runs end to end"), run by {@code bin/bench-runs}: the packaged
 * compute-service (heap limited as the chart limits it) and delivery-service as their own processes on the real
 * broker and PostgreSQL, the 1M-profile benchmark warehouse (database {@code bench}), and a local sink (a JDK HTTP
 * server in this process counting distinct message ids per activation). Each audience is announced with its
 * activations, as audience-service would, and run once (its first run: every member enters):
 * <ul>
 *   <li>the five benchmark audiences, each with a {@code profile_entered} activation enriched with two traits and the
 *   relationship its definition starts from; abandoned_carts also with an {@code entity_entered} activation on carts
 *   (each carrying its products);</li>
 *   <li>{@code everyone}: every profile with a last name (about 990,000), with traits only;</li>
 *   <li>on request only, the curve of one shape: {@code households_10k}, {@code _100k}, {@code _400k} and {@code _1m},
 *   the profiles whose household has a pet among 1 %, 10 %, 40 % and all of the profiles, each enriched with its
 *   household and the household's pets.</li>
 * </ul>
 * Per audience: members, events, the run's time, its emission rate (events / the run's preparing step), the compute
 * process's peak heap and RSS (sampled every 250 ms), and the time from the run's start to the last event at the sink.
 * Arguments: the repository root, then the audiences to run (all by default). This JVM's {@code -Dcompute.*} system
 * properties are compute-service's settings.
 */
public final class RunBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final Pattern MESSAGE_ID = Pattern.compile("\"messageId\":\"([0-9A-Z]{26})\"");
    private static final Pattern HEAP_USED = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\"[^}]*} ([0-9.E]+)");
    /**
     * With {@code -Dbench.emission-alone=true}, delivery-service is paused (SIGSTOP) while a run emits and resumed
     * when it ends: the emission rate of compute-service alone, not sharing the 2 cores with delivery.
     */
    private static final boolean EMISSION_ALONE = Boolean.getBoolean("bench.emission-alone");
    private static final String EVERYONE = """
            {"operator": "and", "groups": [{"operator": "and", "conditions": [
              {"type": "trait", "trait": "last_name", "op": "exists"}]}]}""";

    /** What the sink received for one activation (its path). */
    private final Map<String, Set<String>> received = new ConcurrentHashMap<>();
    private final Map<String, Long> lastReceivedNanos = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private String prefix;

    /** One benchmark case: an audience and what its activations enrich. */
    private record Case(String key, AudienceDefinition definition, String enrichedRelationship, String entityRelationship) {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        List<String> only = args.length > 1 ? List.of(args).subList(1, args.length) : List.of();
        new RunBenchmark().run(root, only);
    }

    private void run(Path root, List<String> only) throws Exception {
        Path bench = root.resolve("bench/audiences");
        List<Case> cases = new ArrayList<>(List.of(
                new Case("deep", definition(bench, "deep"), "accounts", null),
                new Case("owly_card", definition(bench, "owly_card"), "accounts", null),
                new Case("premium_subscriptions", definition(bench, "premium_subscriptions"), "accounts", null),
                new Case("abandoned_carts", definition(bench, "abandoned_carts"), "accounts", "carts"),
                new Case("cat_owners", definition(bench, "cat_owners"), "households", null),
                new Case("everyone", JSON.readValue(EVERYONE, AudienceDefinition.class), null, null),
                // the curve: one shape (profiles whose household has a pet, enriched with the household and its pets) on
                // 1 %, 10 %, 40 % and all of the profiles (last names are Last<i % 7000>: an ending selects a share)
                new Case("households_10k", withPets("17"), "households", null),
                new Case("households_100k", withPets("7"), "households", null),
                new Case("households_400k", withPets("1", "2", "3", "4"), "households", null),
                new Case("households_1m", withPets(), "households", null)));
        if (only.isEmpty()) {
            cases.removeIf(c -> c.key().startsWith("households_"));
        }
        cases.removeIf(c -> !only.isEmpty() && !only.contains(c.key()));
        DataGraph graph;
        try (Connection c = warehouse()) {
            graph = JSON.readValue(bench.resolve("data-graph.json").toFile(), DataGraph.class)
                    .withCatalog(WarehouseCatalog.of(c, "bench", "bench_profiles"));
            try (Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS la_compute CASCADE"); // first runs: no baseline from an earlier benchmark
            }
        }

        HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        sink.createContext("/", this::receive);
        java.util.concurrent.ExecutorService sinkThreads = Executors.newFixedThreadPool(8);
        sink.setExecutor(sinkThreads);
        sink.start();
        String sinkUrl = "http://127.0.0.1:" + sink.getAddress().getPort();
        prefix = LocalKafka.createTopicsWithFreshPrefix();
        LocalPostgres.recreateDatabase("compute_bench");
        LocalPostgres.recreateDatabase("delivery_bench");
        // -Dcompute.* options of this JVM are passed to compute-service (e.g. -Dcompute.page-size=5000)
        Map<String, String> computeSettings = new java.util.TreeMap<>();
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("compute."))
                .forEach(name -> computeSettings.put(name, System.getProperty(name)));
        ServiceProcess compute = ServiceProcess.start(root, "compute-service",
                ServiceProcess.serviceConfig("compute_bench", "bench", prefix, computeSettings),
                List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError"));
        ServiceProcess delivery = ServiceProcess.start(root, "delivery-service", ServiceProcess.serviceConfig("delivery_bench", null, prefix,
                Map.of("delivery.url-policy.allow-http", "true", "delivery.url-policy.allowed-hosts", "127.0.0.1")), List.of("-Xmx768m"));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalKafka.BOOTSTRAP),
                new StringSerializer(), new StringSerializer())) {
            compute.awaitReady(Duration.ofSeconds(120));
            delivery.awaitReady(Duration.ofSeconds(120));
            System.out.printf("%n| audience | members | events | run (s) | emission (events/s) | compute peak heap (MB) | compute peak RSS (MB)"
                    + " | run start to last event at the sink (s) |%n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |%n");
            for (Case c : cases) {
                measure(c, graph, compute, delivery, producer, sinkUrl);
            }
        } finally {
            compute.close();
            delivery.close();
            sink.stop(0);
            sinkThreads.shutdown(); // its threads are not daemons: the benchmark would not exit
        }
    }

    /** Sends a signal (STOP, CONT) to the service's process. */
    private static void signal(ServiceProcess service, String signal) throws Exception {
        if (new ProcessBuilder("kill", "-" + signal, Long.toString(service.pid())).inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + service.pid() + " failed");
        }
    }

    /** Profiles whose household has a pet and, with {@code endings}, whose last name ends with one of them. */
    private static AudienceDefinition withPets(String... endings) {
        Map<String, Object> pets = Map.of("type", "entity", "relationship", "households", "children",
                Map.of("operator", "and", "conditions", List.of(Map.of("type", "entity", "relationship", "pets"))));
        List<Map<String, Object>> groups = new ArrayList<>(List.of(Map.of("operator", "and", "conditions", List.of(pets))));
        if (endings.length > 0) {
            groups.add(Map.of("operator", "or", "conditions", java.util.Arrays.stream(endings).map(ending -> Map.<String, Object>of(
                    "type", "trait", "trait", "last_name", "op", "ends_with", "value", Map.of("const", ending))).toList()));
        }
        return JSON.convertValue(Map.of("operator", "and", "groups", groups), AudienceDefinition.class);
    }

    private void measure(Case c, DataGraph graph, ServiceProcess compute, ServiceProcess delivery, KafkaProducer<String, String> producer,
                         String sinkUrl) throws Exception {
        String audienceId = UUID.randomUUID().toString();
        send(producer, Topics.AUDIENCE_DEFINITIONS, audienceId, new AudienceChanged(audienceId, c.key(), c.key(), true, false,
                c.definition(), Map.of("type", "manual"), graph, Instant.now(), null));
        List<String> activations = new ArrayList<>();
        activations.add(activation(producer, audienceId, c.key(), "profile_entered", null,
                c.enrichedRelationship() == null ? List.of() : List.of(c.enrichedRelationship()), sinkUrl));
        if (c.entityRelationship() != null) {
            activations.add(activation(producer, audienceId, c.key(), "entity_entered", c.entityRelationship(), List.of(), sinkUrl));
        }
        awaitRows("compute_bench", "activation_state WHERE audience_id = '" + audienceId + "'", activations.size());
        awaitRows("delivery_bench", "activation_state WHERE id IN ('" + String.join("', '", activations) + "')", activations.size());

        if (EMISSION_ALONE) {
            signal(delivery, "STOP"); // resumed when the run ends: until then compute-service has the cores
        }
        String runId = RestAssured.given().baseUri(compute.baseUrl()).contentType("application/json")
                .header("Authorization", "Bearer " + Tokens.forRole("engage_user")).body(Map.of("audienceId", audienceId))
                .post("/api/v1/runs").then().statusCode(202).extract().path("id");
        long peakHeap = 0;
        long peakRss = 0;
        JsonPath run;
        while (true) {
            peakHeap = Math.max(peakHeap, heapUsed(compute));
            peakRss = Math.max(peakRss, rss(compute));
            run = RestAssured.given().baseUri(compute.baseUrl()).header("Authorization", "Bearer " + Tokens.forRole("read_only"))
                    .get("/api/v1/runs/" + runId).then().statusCode(200).extract().jsonPath();
            if (List.of("succeeded", "failed", "canceled").contains(run.getString("status"))) {
                break;
            }
            Thread.sleep(250);
        }
        if (EMISSION_ALONE) {
            signal(delivery, "CONT");
        }
        if (!"succeeded".equals(run.getString("status"))) {
            throw new IllegalStateException(c.key() + ": the run did not succeed: " + run.prettify());
        }
        long members = run.getLong("audienceSize");
        long events = members + (c.entityRelationship() == null ? 0 : matchedPairs(audienceId, c.entityRelationship()));
        long lastNanos = awaitDelivered(activations, events);
        Instant started = Instant.parse(run.getString("startedAt"));
        double runSeconds = Duration.between(started, Instant.parse(run.getString("finishedAt"))).toMillis() / 1000.0;
        double emission = events / (run.getLong("steps.preparingToDeliverEvents") / 1000.0);
        // the sink's clock is this process's nanoTime: take the run's start on it through the wall clock now
        double toLastEvent = (Duration.between(started, Instant.now()).toNanos() - (System.nanoTime() - lastNanos)) / 1e9;
        System.out.printf("| %s | %,d | %,d | %.1f | %,.0f | %d | %d | %.1f |%n", c.key(), members, events, runSeconds, emission,
                peakHeap / (1024 * 1024), peakRss / (1024 * 1024), toLastEvent);
        activations.forEach(id -> received.remove("/" + id));
    }

    /** Waits until the sink received {@code events} distinct messages for these activations; answers when the last came. */
    private long awaitDelivered(List<String> activations, long events) throws InterruptedException {
        long lastProgress = System.nanoTime();
        long seen = -1;
        while (true) {
            long now = activations.stream().mapToLong(id -> received.getOrDefault("/" + id, Set.of()).size()).sum();
            if (now >= events) {
                return activations.stream().mapToLong(id -> lastReceivedNanos.getOrDefault("/" + id, 0L)).max().orElseThrow();
            }
            if (now != seen) {
                seen = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > Duration.ofMinutes(2).toNanos()) {
                throw new IllegalStateException("the sink received " + now + " of " + events + " events and nothing for 2 minutes");
            }
            Thread.sleep(100);
        }
    }

    private void receive(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        Set<String> ids = received.computeIfAbsent(path, p -> ConcurrentHashMap.newKeySet());
        Matcher m = MESSAGE_ID.matcher(body);
        while (m.find()) {
            ids.add(m.group(1));
        }
        lastReceivedNanos.put(path, System.nanoTime());
        byte[] answer = "{\"message\":\"success\"}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    private String activation(KafkaProducer<String, String> producer, String audienceId, String key, String trigger, String relationship,
                              List<String> enrichedRelationships, String sinkUrl) throws Exception {
        String id = UUID.randomUUID().toString();
        send(producer, Topics.ACTIVATION_DEFINITIONS, id, new ActivationChanged(id, audienceId, key, trigger, key + " " + trigger,
                relationship, new ActivationChanged.Enrichment(List.of("first_name", "last_name"), null, enrichedRelationships), 10, null,
                true, true, "valid", false, new ActivationChanged.Destination("dest-" + id, "webhook", "send",
                Map.of("url", sinkUrl + "/" + id, "secret", "s", "bulk", "true", "rateLimit.batch", "100000")), Instant.now(), null));
        return id;
    }

    private void send(KafkaProducer<String, String> producer, String topic, String key, Object value) throws Exception {
        producer.send(new ProducerRecord<>(prefix + topic, key, JSON.writeValueAsString(value))).get();
    }

    private long heapUsed(ServiceProcess service) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create(service.managementUrl() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = HEAP_USED.matcher(metrics);
        double used = 0;
        while (m.find()) {
            used += Double.parseDouble(m.group(1));
        }
        return (long) used;
    }

    private static long rss(ServiceProcess service) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + service.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return 0;
    }

    private static long matchedPairs(String audienceId, String relationship) throws Exception {
        try (Connection c = warehouse(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT COUNT(*) FROM (SELECT DISTINCT profile_id, entity_key FROM la_compute.matched WHERE audience_id = '"
                        + audienceId + "' AND relationship = '" + relationship + "') x")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void awaitRows(String database, String fromWhere, int rows) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            try (Connection c = LocalPostgres.connect(database); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + fromWhere)) {
                rs.next();
                if (rs.getLong(1) >= rows) {
                    return;
                }
            } catch (java.sql.SQLException notYetMigrated) {
                // the service creates its tables at start
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(database + " did not get " + rows + " rows of " + fromWhere);
    }

    private static Connection warehouse() throws Exception {
        return DriverManager.getConnection(LocalPostgres.jdbcUrl("bench"), LocalPostgres.USER, LocalPostgres.PASSWORD);
    }

    private static AudienceDefinition definition(Path bench, String name) throws IOException {
        return JSON.readValue(bench.resolve(name + ".json").toFile(), AudienceDefinition.class);
    }
}
