package dev.linkedaudiences.compute.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.compute.snapshot.MembershipSnapshots;
import dev.linkedaudiences.compute.snapshot.ProfileChange;
import dev.linkedaudiences.compute.snapshot.ProfileFields;
import dev.linkedaudiences.compute.sql.Dialect;
import dev.linkedaudiences.compute.sql.Dialects;
import dev.linkedaudiences.compute.sql.SqlCompiler;
import dev.linkedaudiences.compute.warehouse.JdbcSession;
import dev.linkedaudiences.contracts.definition.AudienceDefinition;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.testsupport.WarehouseCatalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The audience-engine benchmark (bin/bench-audiences, docs/benchmarks.md), on the warehouse of
 * bench/audiences/warehouse.sql:
 * <ol>
 * <li>for each audience, the generated members query beside the hand-written one, same engine, same session,
 * alternating which goes first; both counted, and their counts must agree;</li>
 * <li>a full run of each audience (stage members and matched entities, diff against the baseline, read the changes,
 * promote), as compute-service does it, then a 1% churn of the warehouse and a second full run: its time and the rows
 * it reads out of the warehouse.</li>
 * </ol>
 * Arguments: warehouse JDBC URL, benchmark directory, repetitions, timeout per members query in seconds.
 */
public final class AudienceBenchmark {
    private static final List<String> AUDIENCES = System.getenv("BENCH_ONLY") != null ? List.of(System.getenv("BENCH_ONLY").split(","))
            : List.of("cat_owners", "premium_subscriptions", "owly_card", "abandoned_carts", "deep", "plan_matches_subscription",
            "orders_naming_the_buyer");
    /** The data is generated relative to this instant; `within` windows count back from it. */
    private static final Instant RUN_START = Instant.parse("2026-11-24T00:00:00Z");
    private static final String SCHEMA = "la_compute";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/bench";
        Path dir = Path.of(args.length > 1 ? args[1] : "bench/audiences");
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Duration timeout = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 300);
        Dialect dialect = Dialects.of("postgresql");
        Map<String, AudienceDefinition> definitions = definitions(dir);
        try (Connection c = DriverManager.getConnection(url, "la", "la"); Connection cursor = DriverManager.getConnection(url, "la", "la")) {
            c.createStatement().execute("SET TIME ZONE 'UTC'");
            DataGraph graph = graph(dir, c);
            // not closed: the connection is the full runs' too
            GeneratedVsHandWritten.run(new JdbcQueryEngine(c, dialect), () -> compiler(dialect, graph), definitions, dir, reps, timeout);
            if (System.getenv("BENCH_PRINT_SQL") != null) {
                definitions.values().forEach(d -> System.out.println(compiler(dialect, graph).matchedEntities(d, SCHEMA + ".candidate", "AUDIENCE").sql()));
            }

            MembershipSnapshots.ensureSchema(new JdbcSession(c), dialect, SCHEMA);
            MembershipSnapshots snapshots = new MembershipSnapshots(new JdbcSession(c), dialect, SCHEMA);
            Map<String, String> ids = new HashMap<>();
            AUDIENCES.forEach(name -> ids.put(name, UUID.randomUUID().toString()));
            System.out.printf("%n## Full runs (ms)%n%n");
            System.out.println("| audience | run | size | entered | exited | rows read out | moved / size | members | matched | diff | promote | total |");
            System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            for (String name : AUDIENCES) {
                fullRun(cursor, snapshots, dialect, graph, name, ids.get(name), definitions.get(name), "first");
            }
            long churnStart = System.nanoTime();
            int churned = churn(c, dir);
            System.out.printf("%n(churn: %d warehouse rows changed in %d ms)%n%n", churned, (System.nanoTime() - churnStart) / 1_000_000);
            System.out.println("| audience | run | size | entered | exited | rows read out | moved / size | members | matched | diff | promote | total |");
            System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            for (String name : AUDIENCES) {
                fullRun(cursor, snapshots, dialect, graph, name, ids.get(name), definitions.get(name), "after 1% churn");
            }
            for (String id : ids.values()) {
                for (String table : List.of("membership", "matched", "baseline")) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + SCHEMA + "." + table + " WHERE audience_id = ?")) {
                        ps.setString(1, id);
                        ps.executeUpdate();
                    }
                }
            }
        }
    }

    /** What a run does in the warehouse, timed step by step; the profile rows it reads are the changes only. */
    /** Reads the entered or exited profiles page by page, as a run does; answers how many. */
    private static int readChanges(Connection cursor, MembershipSnapshots snapshots, DataGraph graph, String audienceId, boolean entered)
            throws SQLException {
        int[] read = {0};
        MembershipSnapshots.PageConsumer<ProfileChange> count = page -> read[0] += page.size();
        if (entered) {
            snapshots.entered(new JdbcSession(cursor), audienceId, graph, ProfileFields.traits(List.of()), 1000, count);
        } else {
            snapshots.exited(new JdbcSession(cursor), audienceId, graph, ProfileFields.traits(List.of()), 1000, count);
        }
        return read[0];
    }

    private static void fullRun(Connection cursor, MembershipSnapshots snapshots, Dialect dialect, DataGraph graph, String name, String audienceId,
                                AudienceDefinition definition, String label) throws SQLException {
        String runId = UUID.randomUUID().toString();
        long t0 = System.nanoTime();
        long size = snapshots.stage(audienceId, runId, compiler(dialect, graph).members(definition));
        long t1 = System.nanoTime();
        snapshots.stageMatched(audienceId, compiler(dialect, graph).matchedEntities(definition, snapshots.candidateTable(), audienceId));
        long t2 = System.nanoTime();
        int entered = readChanges(cursor, snapshots, graph, audienceId, true);
        int exited = readChanges(cursor, snapshots, graph, audienceId, false);
        long t3 = System.nanoTime();
        snapshots.promote(audienceId, runId);
        long t4 = System.nanoTime();
        int moved = entered + exited;
        System.out.printf("| %s | %s | %d | %d | %d | %d | %.2f%% | %d | %d | %d | %d | %d |%n", name, label, size, entered, exited, moved,
                size == 0 ? 0.0 : 100.0 * moved / size, ms(t0, t1), ms(t1, t2), ms(t2, t3), ms(t3, t4), ms(t0, t4));
    }

    /** Applies bench/audiences/churn.sql (statements separated by ';', comments on lines of their own); answers the rows it changed. */
    private static int churn(Connection c, Path dir) throws Exception {
        int changed = 0;
        try (Statement s = c.createStatement()) {
            String withoutComments = Files.readString(dir.resolve("churn.sql")).lines()
                    .filter(line -> !line.trim().startsWith("--")).collect(java.util.stream.Collectors.joining("\n"));
            for (String statement : withoutComments.split(";")) {
                String sql = statement.trim();
                if (!sql.isEmpty()) {
                    changed += s.executeUpdate(sql);
                }
            }
        }
        return changed;
    }

    /** The audiences of {@link #AUDIENCES}, read from {@code <dir>/<audience>.json}. */
    static Map<String, AudienceDefinition> definitions(Path dir) throws IOException {
        Map<String, AudienceDefinition> definitions = new LinkedHashMap<>();
        for (String name : AUDIENCES) {
            definitions.put(name, JSON.readValue(dir.resolve(name + ".json").toFile(), AudienceDefinition.class));
        }
        return definitions;
    }

    /** The benchmark's data graph with the column types of the PostgreSQL warehouse {@code c}. */
    static DataGraph graph(Path dir, Connection c) throws IOException, SQLException {
        return JSON.readValue(dir.resolve("data-graph.json").toFile(), DataGraph.class).withCatalog(WarehouseCatalog.of(c, "bench", "bench_profiles"));
    }

    static SqlCompiler compiler(Dialect dialect, DataGraph graph) {
        return new SqlCompiler(dialect, graph, RUN_START, key -> null, SCHEMA);
    }

    private static long ms(long from, long to) {
        return (to - from) / 1_000_000;
    }

    private AudienceBenchmark() {
    }
}
