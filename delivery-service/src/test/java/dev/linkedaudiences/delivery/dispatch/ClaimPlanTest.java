package dev.linkedaudiences.delivery.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.testsupport.LocalPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The claim on a {@code delivery_event} that was never analyzed, with the plan a connection caches: the generic plan
 * made while the table was empty, then run on thousands of pending events (issue 11: over 60 s per claim); then the
 * same once analyzed. Its shape must keep the planner from re-reading every pending event for each candidate, and
 * the list of activations with pending events must read one index entry per activation. With
 * {@code -Dclaim.events=100000}, the measure of docs/benchmarks.md ("Claim without statistics"); the first plan is
 * printed either way.
 */
class ClaimPlanTest {
    private static final String DATABASE = "delivery_claim_plan";
    private static final int EVENTS = Integer.getInteger("claim.events", 5000);
    private static final int BATCH = 2000;
    private static final String EXECUTE = "execute claim('{a}', '{" + BATCH + "}', now())";
    private static final String PENDING = "execute pending";

    @Test
    void theClaimWalksTheIndexesWithOrWithoutStatistics() throws Exception {
        LocalPostgres.recreateDatabase(DATABASE);
        Flyway.configure().dataSource(LocalPostgres.jdbcUrl(DATABASE), LocalPostgres.USER, LocalPostgres.PASSWORD)
                .load().migrate();
        try (Connection connection = LocalPostgres.connect(DATABASE); Statement sql = connection.createStatement()) {
            sql.execute("set plan_cache_mode = force_generic_plan"); // what a prepared statement ends up running
            prepare(sql);
            connection.setAutoCommit(false);
            sql.execute(Dispatcher.CLAIM_SETTINGS);
            sql.execute(PENDING); // plans them, on the empty table
            sql.execute(EXECUTE);
            connection.commit();
            // Two events per profile, the earlier half first: the first 2,000 due are all claimable.
            sql.execute("""
                    insert into delivery_event (message_id, activation_id, profile_id, payload, status, next_attempt_at, created_at)
                    select 'm' || i, 'a', 'p' || (i %% %d), repeat('x', 700), 'pending', now() - interval '1 minute', now()
                    from generate_series(1, %d) i""".formatted(EVENTS / 2, EVENTS));
            connection.commit();

            sql.execute(Dispatcher.CLAIM_SETTINGS);
            System.out.println(String.join("\n", explain(sql, "explain (analyze, buffers) " + EXECUTE)));
            connection.rollback();
            assertWalksTheIndexes(sql);

            sql.execute("analyze delivery_event");
            connection.commit();
            sql.execute("deallocate all");
            sql.execute("set plan_cache_mode = force_custom_plan");
            sql.execute("set jit_above_cost = 0"); // JIT would compile any plan: the claim's settings must say no
            prepare(sql);
            assertWalksTheIndexes(sql);
        }
    }

    private static void prepare(Statement sql) throws SQLException {
        sql.execute("prepare claim(text[], int[], timestamptz) as " + Dispatcher.CLAIM_DUE);
        sql.execute("prepare pending as " + Dispatcher.PENDING_ACTIVATIONS);
    }

    /** Runs the claim and the list of pending activations in the claim's transaction, rolled back, and checks their plans. */
    private static void assertWalksTheIndexes(Statement sql) throws Exception {
        sql.execute(Dispatcher.CLAIM_SETTINGS);
        JsonNode explained = new ObjectMapper().readTree(explain(sql, "explain (analyze, format json) " + EXECUTE).get(0)).get(0);
        JsonNode pending = new ObjectMapper().readTree(explain(sql, "explain (analyze, format json) " + PENDING).get(0)).get(0);
        sql.getConnection().rollback();

        List<JsonNode> pendingNodes = nodes(pending.get("Plan"));
        assertEquals(1, pending.get("Plan").get("Actual Rows").asInt(), "one activation");
        assertTrue(pendingNodes.stream().noneMatch(node -> node.get("Node Type").asText().matches("Sort|Seq Scan")),
                "no sort, no scan of the backlog");
        assertTrue(pendingNodes.stream().filter(node -> node.has("Index Name"))
                .allMatch(node -> node.get("Actual Rows").asDouble() <= 1), "one index entry read per step");
        assertFalse(pending.has("JIT"), "no JIT compilation");

        JsonNode plan = explained.get("Plan");
        assertEquals(Math.min(BATCH, EVENTS / 2), plan.get("Actual Rows").asInt());
        List<JsonNode> nodes = nodes(plan);
        assertTrue(nodes.stream().noneMatch(node -> node.has("Join Filter")), "no join compares every pair of rows");
        assertTrue(nodes.stream().noneMatch(node -> node.get("Node Type").asText().equals("Sort")), "no sort");
        List<JsonNode> lookups = nodes.stream()
                .filter(node -> "delivery_event_profile_pending".equals(node.path("Index Name").asText())).toList();
        assertEquals(1, lookups.size());
        String lookup = lookups.get(0).path("Index Cond").asText();
        assertTrue(lookup.contains("activation_id") && lookup.contains("profile_id"), "a lookup by profile: " + lookup);
        assertTrue(lookups.get(0).get("Actual Rows").asDouble() <= 1, "one index entry read per candidate");
        assertFalse(explained.has("JIT"), "no JIT compilation");
    }

    private static List<String> explain(Statement sql, String explain) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (ResultSet rows = sql.executeQuery(explain)) {
            while (rows.next()) {
                lines.add(rows.getString(1));
            }
        }
        return lines;
    }

    private static List<JsonNode> nodes(JsonNode plan) {
        List<JsonNode> nodes = new ArrayList<>(List.of(plan));
        plan.path("Plans").forEach(child -> nodes.addAll(nodes(child)));
        return nodes;
    }
}
