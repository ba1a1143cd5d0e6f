package dev.linkedaudiences.compute.sql;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.linkedaudiences.compute.snapshot.MembershipSnapshots;
import dev.linkedaudiences.compute.warehouse.JdbcSession;
import dev.linkedaudiences.contracts.definition.AudienceDefinition;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.graph.DataType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The compiled SQL, executed on a real warehouse engine loaded with the sample warehouse, against the members
 * the spec's semantics give for each definition (worked out by hand in the comments). One subclass per engine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SqlCompilerTest {
    static final Path SAMPLE_WAREHOUSE = Path.of("../samples/abandoned-carts/warehouse.sql");
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private Connection warehouse;
    private DataGraph graph;
    private Dialect dialect;

    /** A connection to the engine, with the sample warehouse loaded and the session in UTC. */
    abstract Connection openSampleWarehouse() throws Exception;

    abstract Dialect dialect();

    @BeforeAll
    void loadSampleWarehouse() throws Exception {
        warehouse = openSampleWarehouse();
        dialect = dialect();
        try (Statement s = warehouse.createStatement()) {
            // characters that LIKE would read as wildcards, to prove they are matched literally
            s.execute("UPDATE segment_profiles.profile_traits SET plan = 'pro_100%' WHERE canonical_segment_id = 'p_beth'");
            s.execute("UPDATE segment_profiles.profile_traits SET plan = 'proX1000' WHERE canonical_segment_id = 'p_dana'");
        }
        MembershipSnapshots.ensureSchema(new JdbcSession(warehouse), dialect, "la_compute");
        graph = JSON.readValue(Files.readString(Path.of("../samples/abandoned-carts/data-graph.json")), DataGraph.class)
                .withCatalog(catalog());
    }

    @AfterAll
    void close() throws Exception {
        warehouse.close();
    }

    /** The column types, as audience-service would have recorded them for the graph. */
    private static Map<String, Map<String, DataType>> catalog() {
        return Map.of(
                "segment_profiles.profile_traits", Map.of("canonical_segment_id", DataType.STRING, "first_name", DataType.STRING,
                        "last_name", DataType.STRING, "plan", DataType.STRING, "merged_to", DataType.STRING),
                "segment_profiles.order_completed", Map.of("id", DataType.STRING, "segment_id", DataType.STRING,
                        "timestamp", DataType.TIMESTAMP, "total", DataType.NUMBER),
                "prod.accounts", Map.of("id", DataType.STRING, "email", DataType.STRING, "status", DataType.STRING),
                "prod.carts", Map.of("id", DataType.STRING, "account_id", DataType.STRING, "status", DataType.STRING,
                        "abandoned_at", DataType.TIMESTAMP),
                "prod.product_skus", Map.of("sku", DataType.STRING, "product_name", DataType.STRING, "product_price", DataType.STRING));
    }

    private Set<String> members(String definitionJson) throws Exception {
        AudienceDefinition definition = JSON.readValue(definitionJson, AudienceDefinition.class);
        CompiledQuery query = new SqlCompiler(dialect, graph, Instant.now(), key -> "id-of-" + key, "la_compute")
                .members(definition);
        assertFalse(query.sql().contains("'active'"), "values are bound, never in the SQL text");
        Set<String> ids = new TreeSet<>();
        try (PreparedStatement ps = warehouse.prepareStatement(query.sql())) {
            for (int i = 0; i < query.parameters().size(); i++) {
                ps.setObject(i + 1, query.parameters().get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    private static String oneCondition(String condition) {
        return "{\"operator\":\"and\",\"groups\":[{\"operator\":\"and\",\"conditions\":[" + condition + "]}]}";
    }

    @Test
    void theSampleAudienceHasAndrewAndEve() throws Exception {
        String definition = JSON.readTree(Path.of("../samples/abandoned-carts/audience.json").toFile()).get("definition").toString();
        assertEquals(Set.of("p_andrew", "p_eve"), members(definition));
    }

    @Test
    void matchedEntitiesFollowTheSatisfiedConditionsDownTheGraph() throws Exception {
        String definitionJson = JSON.readTree(Path.of("../samples/abandoned-carts/audience.json").toFile()).get("definition").toString();
        AudienceDefinition definition = JSON.readValue(definitionJson, AudienceDefinition.class);
        MembershipSnapshots snapshots = new MembershipSnapshots(new JdbcSession(warehouse), dialect, "la_compute");
        SqlCompiler members = new SqlCompiler(dialect, graph, Instant.now(), key -> key, "la_compute");
        snapshots.stage("matched-test", "run-1", members.members(definition));
        CompiledQuery matched = new SqlCompiler(dialect, graph, Instant.now(), key -> key, "la_compute")
                .matchedEntities(definition, snapshots.candidateTable(), "matched-test");
        Set<String> rows = new TreeSet<>();
        try (PreparedStatement ps = warehouse.prepareStatement(matched.sql())) {
            for (int i = 0; i < matched.parameters().size(); i++) {
                ps.setObject(i + 1, matched.parameters().get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + " " + rs.getString(2) + ":" + rs.getString(3) + " under " + rs.getString(4) + ":" + rs.getString(5));
                }
            }
        }
        // Andrew: account a1 -> abandoned cart 123 -> products 324, 489; Eve: a5 -> 127 -> 512 (two junction rows, one entity).
        // Beth's checked-out cart and Dana (no first name, not a member) record nothing.
        assertEquals(Set.of(
                "p_andrew user-accounts:a1 under null:null",
                "p_andrew shopping_cart:123 under user-accounts:a1",
                "p_andrew products:324 under shopping_cart:123",
                "p_andrew products:489 under shopping_cart:123",
                "p_eve user-accounts:a5 under null:null",
                "p_eve shopping_cart:127 under user-accounts:a5",
                "p_eve products:512 under shopping_cart:127"), rows);
    }

    @Test
    void negatedConditionsAndUnsatisfiedGroupsRecordNothing() throws Exception {
        // group 1 (Beth only) holds for Beth; group 2 (an abandoned cart) fails for her, so her carts are not recorded;
        // the negated condition of group 1 records nothing either
        String definitionJson = "{\"operator\":\"or\",\"groups\":["
                + "{\"operator\":\"and\",\"conditions\":[{\"type\":\"trait\",\"trait\":\"first_name\",\"op\":\"equals\",\"value\":{\"const\":\"Beth\"}},"
                + "{\"type\":\"entity\",\"negate\":true,\"relationship\":\"user-accounts\",\"where\":{\"operator\":\"and\",\"filters\":[{\"column\":\"status\",\"op\":\"equals\",\"value\":{\"const\":\"closed\"}}]}}]},"
                + "{\"operator\":\"and\",\"conditions\":[{\"type\":\"entity\",\"relationship\":\"user-accounts\",\"children\":{\"operator\":\"and\",\"conditions\":["
                + "{\"type\":\"entity\",\"relationship\":\"shopping_cart\",\"where\":{\"operator\":\"and\",\"filters\":[{\"column\":\"status\",\"op\":\"equals\",\"value\":{\"const\":\"abandoned\"}}]}}]}}]}]}";
        AudienceDefinition definition = JSON.readValue(definitionJson, AudienceDefinition.class);
        MembershipSnapshots snapshots = new MembershipSnapshots(new JdbcSession(warehouse), dialect, "la_compute");
        long members = snapshots.stage("negated-test", "run-1", new SqlCompiler(dialect, graph, Instant.now(), key -> key, "la_compute").members(definition));
        assertEquals(4, members, "Beth through group 1; Andrew, Dana and Eve through group 2");
        CompiledQuery matched = new SqlCompiler(dialect, graph, Instant.now(), key -> key, "la_compute")
                .matchedEntities(definition, snapshots.candidateTable(), "negated-test");
        Set<String> profiles = new TreeSet<>();
        try (PreparedStatement ps = warehouse.prepareStatement(matched.sql())) {
            for (int i = 0; i < matched.parameters().size(); i++) {
                ps.setObject(i + 1, matched.parameters().get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    profiles.add(rs.getString(1));
                }
            }
        }
        assertEquals(Set.of("p_andrew", "p_dana", "p_eve"), profiles, "Beth is a member through group 1 but matches no entity");
    }

    @Test
    void mergedAwayProfilesAreNeverCandidates() throws Exception {
        // p_carl has a first name and is merged into p_andrew
        assertEquals(Set.of("p_andrew", "p_beth", "p_eve"), members(oneCondition("{\"type\":\"trait\",\"trait\":\"first_name\",\"op\":\"exists\"}")));
    }

    @Test
    void comparisonsWithNullAreFalseBeforeNegate() throws Exception {
        // first_name not_equals "Andrew": NULL (p_dana) is false
        assertEquals(Set.of("p_beth", "p_eve"), members(oneCondition(
                "{\"type\":\"trait\",\"trait\":\"first_name\",\"op\":\"not_equals\",\"value\":{\"const\":\"Andrew\"}}")));
        // without (first_name equals "Andrew"): NULL compares false, so p_dana is in
        assertEquals(Set.of("p_beth", "p_dana", "p_eve"), members(oneCondition(
                "{\"type\":\"trait\",\"negate\":true,\"trait\":\"first_name\",\"op\":\"equals\",\"value\":{\"const\":\"Andrew\"}}")));
        assertEquals(Set.of("p_dana"), members(oneCondition("{\"type\":\"trait\",\"trait\":\"first_name\",\"op\":\"not_exists\"}")));
    }

    @Test
    void likeWildcardsInValuesAreLiteral() throws Exception {
        // "100%" must not match "proX1000", and "_" must not match "X"
        assertEquals(Set.of("p_beth"), members(oneCondition(
                "{\"type\":\"trait\",\"trait\":\"plan\",\"op\":\"contains\",\"value\":{\"const\":\"100%\"}}")));
        assertEquals(Set.of("p_beth"), members(oneCondition(
                "{\"type\":\"trait\",\"trait\":\"plan\",\"op\":\"starts_with\",\"value\":{\"const\":\"pro_\"}}")));
        assertEquals(Set.of("p_andrew", "p_eve"), members(oneCondition(
                "{\"type\":\"trait\",\"trait\":\"plan\",\"op\":\"ends_with\",\"value\":{\"const\":\"ium\"}}")));
    }

    @Test
    void dynamicPatternsFromTraitsAreEscapedAndNullIsFalse() throws Exception {
        // every plan contains itself, wildcard characters included; a NULL first name contains nothing
        assertEquals(Set.of("p_andrew", "p_beth", "p_dana", "p_eve"), members(oneCondition(
                "{\"type\":\"trait\",\"trait\":\"plan\",\"op\":\"contains\",\"value\":{\"trait\":\"plan\"}}")));
        assertEquals(Set.of("p_andrew", "p_beth", "p_eve"), members(oneCondition(
                "{\"type\":\"trait\",\"trait\":\"first_name\",\"op\":\"ends_with\",\"value\":{\"trait\":\"first_name\"}}")));
    }

    @Test
    void junctionDuplicatesCountOnce() throws Exception {
        // Eve's cart 127 holds product 512 through two junction rows: exactly one product
        String cartWithExactlyOneProduct = "{\"type\":\"entity\",\"relationship\":\"user-accounts\",\"children\":{\"operator\":\"and\",\"conditions\":["
                + "{\"type\":\"entity\",\"relationship\":\"shopping_cart\",\"children\":{\"operator\":\"and\",\"conditions\":["
                + "{\"type\":\"entity\",\"relationship\":\"products\",\"count\":{\"op\":\"exactly\",\"value\":1}}]}}]}}";
        // carts with exactly one product: 124 (beth), 125 (carl, merged), 126 (dana), 127 (eve, duplicate rows)
        assertEquals(Set.of("p_beth", "p_dana", "p_eve"), members(oneCondition(cartWithExactlyOneProduct)));
    }

    @Test
    void zeroCountsAdmitProfilesWithoutRows() throws Exception {
        // every non-merged profile has exactly one account
        assertEquals(Set.of(), members(oneCondition(
                "{\"type\":\"entity\",\"relationship\":\"user-accounts\",\"count\":{\"op\":\"exactly\",\"value\":0}}")));
        assertEquals(Set.of("p_andrew", "p_beth", "p_dana", "p_eve"), members(oneCondition(
                "{\"type\":\"entity\",\"relationship\":\"user-accounts\",\"count\":{\"op\":\"at_most\",\"value\":1}}")));
    }

    @Test
    void dynamicReferencesCompareWithAncestorColumns() throws Exception {
        // carts whose status equals the account's status: none ("abandoned"/"checked_out" vs "active")
        assertEquals(Set.of(), members(oneCondition("{\"type\":\"entity\",\"relationship\":\"user-accounts\",\"children\":{\"operator\":\"and\",\"conditions\":["
                + "{\"type\":\"entity\",\"relationship\":\"shopping_cart\",\"where\":{\"operator\":\"and\",\"filters\":["
                + "{\"column\":\"status\",\"op\":\"equals\",\"value\":{\"column\":{\"relationship\":\"user-accounts\",\"column\":\"status\"}}}]}}]}}")));
    }

    @Test
    void eventsAreAttributedThroughIdGraphAndWindowedFromTheRunStart() throws Exception {
        // o1 (anon_7f3 -> p_andrew, 2 days ago, 120) and o3 (p_beth, 3 days ago) are within 7 days; o4 has no timestamp
        assertEquals(Set.of("p_andrew", "p_beth"), members(oneCondition(
                "{\"type\":\"event\",\"event\":\"Order Completed\",\"within\":{\"amount\":7,\"unit\":\"days\"}}")));
        // without a window the NULL-timestamp event counts: Andrew has two orders
        assertEquals(Set.of("p_andrew"), members(oneCondition(
                "{\"type\":\"event\",\"event\":\"Order Completed\",\"count\":{\"op\":\"at_least\",\"value\":2}}")));
        assertEquals(Set.of("p_andrew"), members(oneCondition(
                "{\"type\":\"event\",\"event\":\"Order Completed\",\"where\":{\"operator\":\"and\",\"filters\":["
                        + "{\"property\":\"total\",\"op\":\"greater_than\",\"value\":{\"const\":100}}]}}")));
        // exactly 0 orders: Dana (Carl is merged away)
        assertEquals(Set.of("p_dana"), members(oneCondition(
                "{\"type\":\"event\",\"event\":\"Order Completed\",\"count\":{\"op\":\"exactly\",\"value\":0}}")));
    }

    @Test
    void groupsCombineWithOr() throws Exception {
        assertEquals(Set.of("p_beth", "p_dana"), members("{\"operator\":\"or\",\"groups\":["
                + "{\"operator\":\"and\",\"conditions\":[{\"type\":\"trait\",\"trait\":\"first_name\",\"op\":\"equals\",\"value\":{\"const\":\"Beth\"}}]},"
                + "{\"operator\":\"and\",\"conditions\":[{\"type\":\"trait\",\"trait\":\"first_name\",\"op\":\"not_exists\"}]}]}"));
    }
}
