package dev.linkedaudiences.compute.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BigQuerySession} driving Google's real client library against a local server that answers BigQuery's v2
 * REST API as BigQuery does (jobs.insert, jobs.get, jobs.getQueryResults, datasets and tables lists, with the JSON
 * shapes of the API reference): what the session sends (standard SQL, typed positional parameters, the session of a
 * transaction) and how it reads the answers (types, NULLs, pages, DML counts, errors). BigQuery itself is not
 * reachable here; the statements' SQL is checked by the golden files and on a real project by bin/warehouse-check.
 */
class BigQuerySessionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROJECT = "test-project";

    private HttpServer server;
    /** The query jobs created, their configuration.query as sent, in order. */
    private final List<JsonNode> queries = Collections.synchronizedList(new ArrayList<>());
    /** What a query answers, by its SQL text. */
    private final Map<String, Answer> answers = new HashMap<>();
    private final Map<String, Answer> jobs = new HashMap<>();
    private final Map<String, JsonNode> jobQueries = new HashMap<>();
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger jobCount = new AtomicInteger();
    private BigQuerySession session;

    /** A scripted answer: a schema of (name, type) and rows of string values (null for NULL), or a DML count, or an error. */
    private record Answer(List<String[]> schema, List<List<String>> rows, Long dmlAffected, String errorReason) {
        static Answer rows(List<String[]> schema, List<List<String>> rows) {
            return new Answer(schema, rows, null, null);
        }

        static Answer dml(long affected) {
            return new Answer(List.of(), List.of(), affected, null);
        }

        static Answer error(String reason) {
            return new Answer(List.of(), List.of(), null, reason);
        }
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
        session = new BigQuerySession(BigQuerySession.client(PROJECT, Optional.empty(),
                Optional.of("http://127.0.0.1:" + server.getAddress().getPort())), Optional.of("EU"));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery();
        requests.add(method + " " + path + "?" + query);
        // the client library gzips what it posts
        boolean gzip = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
        byte[] in = (gzip ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()).readAllBytes();
        String prefix = "/bigquery/v2/projects/" + PROJECT;
        try {
            if (method.equals("POST") && path.equals(prefix + "/jobs")) {
                JsonNode job = JSON.readTree(in);
                JsonNode q = job.path("configuration").path("query");
                queries.add(q);
                Answer answer = answers.getOrDefault(q.path("query").asText(), Answer.dml(0));
                String jobId = job.path("jobReference").path("jobId").asText("job" + jobCount.incrementAndGet());
                jobs.put(jobId, answer);
                jobQueries.put(jobId, q);
                reply(exchange, 200, job(jobId, q, answer));
            } else if (method.equals("GET") && path.startsWith(prefix + "/jobs/")) {
                String jobId = path.substring((prefix + "/jobs/").length());
                reply(exchange, 200, job(jobId, jobQueries.get(jobId), jobs.get(jobId)));
            } else if (method.equals("GET") && path.startsWith(prefix + "/queries/")) {
                String jobId = path.substring((prefix + "/queries/").length());
                reply(exchange, 200, results(jobId, jobs.get(jobId), query));
            } else if (method.equals("GET") && path.startsWith(prefix + "/datasets/_anonymous/tables/") && path.endsWith("/data")) {
                // tabledata.list of the job's anonymous result table, which the job names as its destination
                String jobId = path.substring((prefix + "/datasets/_anonymous/tables/").length(), path.length() - "/data".length());
                reply(exchange, 200, results(jobId, jobs.get(jobId), query));
            } else if (method.equals("GET") && path.equals(prefix + "/datasets")) {
                reply(exchange, 200, "{\"kind\":\"bigquery#datasetList\",\"datasets\":[{\"id\":\"" + PROJECT + ":Shop\",\"datasetReference\":"
                        + "{\"projectId\":\"" + PROJECT + "\",\"datasetId\":\"Shop\"},\"location\":\"EU\"}]}");
            } else if (method.equals("GET") && path.equals(prefix + "/datasets/Shop/tables")) {
                reply(exchange, 200, "{\"kind\":\"bigquery#tableList\",\"tables\":[{\"id\":\"" + PROJECT + ":Shop.orders\",\"tableReference\":"
                        + "{\"projectId\":\"" + PROJECT + "\",\"datasetId\":\"Shop\",\"tableId\":\"orders\"},\"type\":\"TABLE\"}],\"totalItems\":1}");
            } else {
                reply(exchange, 404, "{\"error\":{\"code\":404,\"message\":\"no fake for " + method + " " + path + "\",\"errors\":[{\"reason\":\"notFound\",\"message\":\"no fake\"}]}}");
            }
        } catch (RuntimeException | IOException e) {
            reply(exchange, 500, "{\"error\":{\"code\":500,\"message\":\"" + e + "\"}}");
        }
    }

    /** A finished query job, with its statistics: the schema, DML count and session a real one reports, or its error. */
    private String job(String jobId, JsonNode query, Answer answer) {
        ObjectNode job = JSON.createObjectNode();
        job.put("kind", "bigquery#job").put("id", PROJECT + ":EU." + jobId);
        job.putObject("jobReference").put("projectId", PROJECT).put("jobId", jobId).put("location", "EU");
        ObjectNode configuration = query.deepCopy();
        configuration.putObject("destinationTable").put("projectId", PROJECT).put("datasetId", "_anonymous").put("tableId", jobId);
        job.putObject("configuration").set("query", configuration);
        ObjectNode status = job.putObject("status").put("state", "DONE");
        ObjectNode statistics = job.putObject("statistics");
        statistics.put("creationTime", "1764662400000").put("startTime", "1764662400000").put("endTime", "1764662401000");
        ObjectNode queryStatistics = statistics.putObject("query");
        if (answer != null && answer.errorReason() != null) {
            status.putObject("errorResult").put("reason", answer.errorReason()).put("message", "Not found: Table test-project:la.nothing");
        } else if (answer != null) {
            queryStatistics.set("schema", schema(answer));
            if (answer.dmlAffected() != null) {
                queryStatistics.put("numDmlAffectedRows", String.valueOf(answer.dmlAffected()));
            }
        }
        if (query.path("createSession").asBoolean(false)) {
            statistics.putObject("sessionInfo").put("sessionId", "session-1");
        }
        return job.toString();
    }

    private ObjectNode schema(Answer answer) {
        ObjectNode schema = JSON.createObjectNode();
        ArrayNode fields = schema.putArray("fields");
        for (String[] field : answer.schema()) {
            fields.addObject().put("name", field[0]).put("type", field[1]).put("mode", "NULLABLE");
        }
        return schema;
    }

    /** jobs.getQueryResults: a page of at most maxResults rows from the one pageToken says (a row index here), as BigQuery pages. */
    private String results(String jobId, Answer answer, String query) {
        Map<String, String> parameters = new HashMap<>();
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv.length == 2) {
                parameters.put(kv[0], kv[1]);
            }
        }
        int from = Integer.parseInt(parameters.getOrDefault("pageToken", "0"));
        int size = Integer.parseInt(parameters.getOrDefault("maxResults", "1000"));
        ObjectNode result = JSON.createObjectNode();
        result.put("kind", "bigquery#getQueryResultsResponse").put("jobComplete", true);
        result.putObject("jobReference").put("projectId", PROJECT).put("jobId", jobId).put("location", "EU");
        result.set("schema", schema(answer));
        result.put("totalRows", String.valueOf(answer.rows().size()));
        ArrayNode rows = result.putArray("rows");
        for (List<String> row : answer.rows().subList(Math.min(from, answer.rows().size()), Math.min(from + size, answer.rows().size()))) {
            ArrayNode f = rows.addObject().putArray("f");
            row.forEach(v -> f.addObject().put("v", v));
        }
        if (from + size < answer.rows().size()) {
            result.put("pageToken", String.valueOf(from + size));
        }
        return result.toString();
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void parametersAreSentTypedAndPositionalInStandardSql() throws Exception {
        OffsetDateTime at = OffsetDateTime.parse("2026-12-02T10:00:00.123456+01:00");
        session.execute("DELETE FROM `la`.`membership` WHERE audience_id = ? AND n = ? AND t >= ? AND d = ? AND b = ? AND x = ? AND f = ?",
                List.of("a1", 42L, at, LocalDate.parse("2026-12-01"), true, new BigDecimal("12.50"), 0.5));
        JsonNode q = queries.get(0);
        assertFalse(q.path("useLegacySql").asBoolean(true), q.toString());
        assertTrue(q.path("queryParameters").findValues("name").isEmpty(), "positional: no parameter has a name " + q);
        List<String> types = new ArrayList<>();
        List<String> values = new ArrayList<>();
        q.path("queryParameters").forEach(p -> {
            types.add(p.path("parameterType").path("type").asText());
            values.add(p.path("parameterValue").path("value").asText());
        });
        assertEquals(List.of("STRING", "INT64", "TIMESTAMP", "DATE", "BOOL", "NUMERIC", "FLOAT64"), types);
        assertEquals("a1", values.get(0));
        assertEquals("42", values.get(1));
        assertEquals(Instant.parse("2026-12-02T09:00:00.123456Z"), OffsetDateTime.parse(values.get(2).replace(' ', 'T')).toInstant());
        assertEquals(List.of("2026-12-01", "true", "12.50"), values.subList(3, 6));
        assertEquals("EU", requests.stream().filter(r -> r.startsWith("POST")).findFirst().map(r -> "EU").orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> session.execute("SELECT ?", List.of(new Object())));
    }

    @Test
    void rowsAreReadAsJavaValuesOfTheirBigQueryTypes() throws Exception {
        answers.put("SELECT *", Answer.rows(List.of(new String[]{"id", "STRING"}, new String[]{"n", "INTEGER"}, new String[]{"x", "FLOAT"},
                        new String[]{"d", "NUMERIC"}, new String[]{"b", "BOOLEAN"}, new String[]{"t", "TIMESTAMP"}, new String[]{"day", "DATE"}),
                List.of(List.of("a", "7", "0.25", "12.50", "true", "1.796205600123456E9", "2026-12-02"),
                        Arrays.asList("b", null, null, null, null, null, null))));
        List<List<Object>> rows = session.query("SELECT *", List.of(), row -> {
            List<Object> values = new ArrayList<>();
            for (int i = 1; i <= row.size(); i++) {
                values.add(row.value(i));
            }
            assertEquals("day", row.name(7));
            return values;
        });
        assertEquals(List.of("a", 7L, 0.25, new BigDecimal("12.50"), true, Instant.parse("2026-12-02T10:00:00.123456Z"), LocalDate.parse("2026-12-02")),
                rows.get(0));
        assertEquals(Arrays.asList("b", null, null, null, null, null, null), rows.get(1));
    }

    @Test
    void pagesFollowBigQuerysPageTokensWithoutReadingEverything() throws Exception {
        List<List<String>> five = List.of(List.of("p1"), List.of("p2"), List.of("p3"), List.of("p4"), List.of("p5"));
        answers.put("SELECT profile_id FROM t", Answer.rows(List.<String[]>of(new String[]{"profile_id", "STRING"}), five));
        List<Integer> sizes = new ArrayList<>();
        List<String> all = new ArrayList<>();
        try (WarehouseSession.Pages<String> pages = session.pages("SELECT profile_id FROM t", List.of(), row -> row.text(1), 2)) {
            for (List<String> page = pages.next(); !page.isEmpty(); page = pages.next()) {
                sizes.add(page.size());
                all.addAll(page);
            }
        }
        assertEquals(List.of(2, 2, 1), sizes);
        assertEquals(List.of("p1", "p2", "p3", "p4", "p5"), all);
        // the first page is asked for at the page size; the client library asks for the next ones by token
        List<String> reads = requests.stream().filter(r -> r.contains("/data?")).toList();
        assertTrue(reads.get(0).contains("maxResults=2") && reads.get(1).contains("pageToken=2"), requests.toString());
    }

    @Test
    void aDmlStatementAnswersTheRowsItChangedAndAnErrorIsAnSqlException() throws Exception {
        answers.put("INSERT INTO t SELECT 1", Answer.dml(17));
        assertEquals(17, session.execute("INSERT INTO t SELECT 1"));
        answers.put("SELECT * FROM la.nothing", Answer.error("notFound"));
        SQLException e = assertThrows(SQLException.class, () -> session.query("SELECT * FROM la.nothing", List.of(), row -> row.text(1)));
        assertTrue(e.getMessage().startsWith("notFound: Not found: Table"), e.getMessage());
    }

    @Test
    void aTransactionRunsItsStatementsInOneBigQuerySessionAndRollsBackOnFailure() throws Exception {
        session.transaction(() -> {
            session.execute("DELETE FROM t WHERE a = ?", List.of("x"));
            session.execute("INSERT INTO t VALUES (?)", List.of("x"));
        });
        List<String> sql = queries.stream().map(q -> q.path("query").asText()).toList();
        assertEquals(List.of("BEGIN TRANSACTION", "DELETE FROM t WHERE a = ?", "INSERT INTO t VALUES (?)", "COMMIT TRANSACTION",
                "CALL BQ.ABORT_SESSION()"), sql);
        assertTrue(queries.get(0).path("createSession").asBoolean(), queries.get(0).toString());
        for (JsonNode q : queries.subList(1, 5)) {
            assertEquals("session_id", q.path("connectionProperties").path(0).path("key").asText(), q.toString());
            assertEquals("session-1", q.path("connectionProperties").path(0).path("value").asText(), q.toString());
        }

        queries.clear();
        answers.put("INSERT INTO broken", Answer.error("invalidQuery"));
        assertThrows(SQLException.class, () -> session.transaction(() -> session.execute("INSERT INTO broken")));
        assertEquals(List.of("BEGIN TRANSACTION", "INSERT INTO broken", "ROLLBACK TRANSACTION", "CALL BQ.ABORT_SESSION()"),
                queries.stream().map(q -> q.path("query").asText()).toList());
        session.execute("SELECT 1");
        assertTrue(queries.get(queries.size() - 1).path("connectionProperties").isMissingNode(), "outside a transaction, no session");
    }

    /** warehouse.engine=bigquery: the gateway creates the snapshot dataset and tables through the client, in the location. */
    @Test
    void theGatewayCreatesTheSnapshotSchemaThroughTheClient() throws Exception {
        WarehouseGateway gateway = new WarehouseGateway(WarehouseTargetTest.settings(Map.of("warehouse.engine", "bigquery",
                "warehouse.bigquery.project", PROJECT, "warehouse.bigquery.location", "EU",
                "warehouse.bigquery.host", "http://127.0.0.1:" + server.getAddress().getPort())));
        try (WarehouseSession ignored = gateway.session()) {
            List<String> sql = queries.stream().map(q -> q.path("query").asText()).toList();
            assertEquals("CREATE SCHEMA IF NOT EXISTS `la_compute`", sql.get(0));
            assertTrue(sql.contains("CREATE TABLE IF NOT EXISTS `la_compute`.`membership` (audience_id STRING NOT NULL, profile_id STRING NOT NULL,"
                    + " run_id STRING NOT NULL, PRIMARY KEY (audience_id, profile_id) NOT ENFORCED)"), sql.toString());
            assertTrue(requests.stream().filter(r -> r.startsWith("GET") && r.contains("/jobs/")).allMatch(r -> r.contains("location=EU")), requests.toString());
            assertTrue(gateway.schemaReady());
        } finally {
            gateway.stop(null);
        }
    }

    @Test
    void datasetsAreSchemasComparedWithoutCase() throws Exception {
        assertEquals(Optional.of(List.of("orders")), session.tablesIn("shop"));
        assertEquals(Optional.empty(), session.tablesIn("other"));
    }

    @Test
    void aKeyFileThatIsNotAServiceAccountKeyIsNamedWithoutItsContent(@TempDir Path dir) throws IOException {
        Path key = Files.writeString(dir.resolve("key.json"), "{\"type\": \"authorized_user\", \"secret\": \"do-not-print-me\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BigQuerySession.client(PROJECT, Optional.of(key.toString()), Optional.empty()));
        assertTrue(e.getMessage().startsWith("warehouse.bigquery.credentials-file: "), e.getMessage());
        assertFalse(e.getMessage().contains("do-not-print-me"), e.getMessage());
    }
}
