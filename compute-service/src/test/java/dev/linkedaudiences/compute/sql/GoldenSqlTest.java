package dev.linkedaudiences.compute.sql;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.linkedaudiences.compute.snapshot.MembershipSnapshots;
import dev.linkedaudiences.contracts.definition.AudienceDefinition;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.graph.DataType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The SQL written for each warehouse, compared with reviewed golden files ({@code src/test/resources/golden}).
 * The definition touches what differs between warehouses: identifier quoting (a column named {@code select},
 * a quote inside a name), LIKE escaping of constants and of trait values, the {@code within} window, boolean
 * constants, junctions, id_graph attribution and audience references; and the DDL of the snapshot tables.
 * After a deliberate change, regenerate with {@code -Dgolden.update=true} and review the diff.
 */
class GoldenSqlTest {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    private static final Instant RUN_START = Instant.parse("2026-11-24T08:00:00Z");
    private static final String DEFINITION = """
            {"operator": "or", "groups": [
              {"operator": "and", "conditions": [
                {"type": "trait", "trait": "plan", "op": "contains", "value": {"const": "100%_off\\\\"}},
                {"type": "trait", "trait": "first_name", "op": "starts_with", "value": {"trait": "nick\\"name"}},
                {"type": "entity", "relationship": "user-accounts", "children": {"operator": "or", "conditions": [
                  {"type": "entity", "relationship": "shopping_cart", "count": {"op": "at_least", "value": 2},
                   "where": {"operator": "and", "filters": [
                     {"column": "select", "op": "equals", "value": {"const": true}},
                     {"column": "abandoned_at", "op": "greater_than", "value": {"column": {"relationship": "user-accounts", "column": "last_login_at"}}}]},
                   "children": {"operator": "and", "conditions": [
                     {"type": "entity", "relationship": "products", "count": {"op": "exactly", "value": 0}}]}}]}}]},
              {"operator": "and", "conditions": [
                {"type": "event", "negate": true, "event": "Order Completed", "within": {"amount": 7, "unit": "days"},
                 "where": {"operator": "and", "filters": [{"property": "total", "op": "greater_than", "value": {"const": 100.5}}]}},
                {"type": "audience", "audience": "vip"}]}]}""";

    static List<Dialect> dialects() {
        return Dialects.ALL;
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void theSqlOfEachWarehouseIsAsReviewed(Dialect dialect) throws Exception {
        DataGraph graph = JSON.readValue(Path.of("../samples/abandoned-carts/data-graph.json").toFile(), DataGraph.class)
                .withCatalog(Map.of(
                        "segment_profiles.profile_traits", Map.of("plan", DataType.STRING, "first_name", DataType.STRING, "nick\"name", DataType.STRING),
                        "segment_profiles.order_completed", Map.of("total", DataType.NUMBER),
                        "prod.accounts", Map.of("last_login_at", DataType.TIMESTAMP),
                        "prod.carts", Map.of("select", DataType.BOOLEAN, "abandoned_at", DataType.TIMESTAMP)));
        AudienceDefinition definition = JSON.readValue(DEFINITION, AudienceDefinition.class);
        CompiledQuery members = new SqlCompiler(dialect, graph, RUN_START, key -> "audience-id-of-" + key, "la_compute").members(definition);
        CompiledQuery matched = new SqlCompiler(dialect, graph, RUN_START, key -> "audience-id-of-" + key, "la_compute")
                .matchedEntities(definition, "la_compute.candidate", "this-audience");
        String actual = "-- members\n" + members.sql() + "\n-- parameters: " + members.parameters()
                + "\n-- matched entities\n" + matched.sql() + "\n-- parameters: " + matched.parameters()
                + "\n-- snapshot tables\n" + String.join(";\n", MembershipSnapshots.schemaDdl(dialect, "la_compute")) + ";\n";
        Path golden = Path.of("src/test/resources/golden", dialect.name() + ".sql");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(golden, actual);
        }
        assertEquals(Files.readString(golden), actual);
    }
}
