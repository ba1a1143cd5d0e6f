package dev.linkedaudiences.audience.datagraph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.graph.DataType;
import dev.linkedaudiences.contracts.problem.FieldError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.linkedaudiences.audience.Api.sampleEdited;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The sample data graph with one kind of problem at a time, checked against a catalog mirroring the sample
 * warehouse: each problem at its exact pointer, and the valid neighbours with none.
 */
class DataGraphValidatorTest {
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final String ACCOUNTS = "/profile/relationships/0";
    private static final String CARTS = ACCOUNTS + "/relationships/0";
    private static final String PRODUCTS = CARTS + "/relationships/0";

    /** samples/abandoned-carts/warehouse.sql, plus a NUMBER column and a profile trait to join on. */
    private static final Map<String, Map<String, DataType>> CATALOG = Map.of(
            "segment_profiles.profile_traits", Map.of("canonical_segment_id", DataType.STRING, "first_name", DataType.STRING,
                    "last_name", DataType.STRING, "plan", DataType.STRING, "merged_to", DataType.STRING, "account_no", DataType.NUMBER),
            "segment_profiles.user_identifiers", Map.of("canonical_segment_id", DataType.STRING, "type", DataType.STRING, "value", DataType.STRING),
            "segment_profiles.id_graph", Map.of("segment_id", DataType.STRING, "canonical_segment_id", DataType.STRING),
            "segment_profiles.order_completed", Map.of("id", DataType.STRING, "segment_id", DataType.STRING,
                    "timestamp", DataType.TIMESTAMP, "total", DataType.NUMBER),
            "prod.accounts", Map.of("id", DataType.STRING, "email", DataType.STRING, "status", DataType.STRING, "seats", DataType.NUMBER),
            "prod.carts", Map.of("id", DataType.STRING, "account_id", DataType.STRING, "status", DataType.STRING,
                    "abandoned_at", DataType.TIMESTAMP),
            "prod.product_skus", Map.of("sku", DataType.STRING, "product_name", DataType.STRING, "product_price", DataType.STRING),
            "prod.cart_product", Map.of("cart_id", DataType.STRING, "product_id", DataType.STRING));

    static Stream<Arguments> validGraphs() {
        return Stream.of(
                arguments("the sample", edits()),
                arguments("a profile relationship on a trait", edits(ACCOUNTS + "/join", Map.of("trait", "first_name", "column", "email"))),
                arguments("6 levels counting the profile", edits(PRODUCTS + "/relationships", productChain(2))),
                arguments("no id graph and default event tables", edits("/profile/idGraphTable", null, "/profile/eventTables", null)));
    }

    static Stream<Arguments> invalidGraphs() {
        return Stream.of(
                // against the warehouse
                invalid("an unknown entity table", edits("/entities/0/table", "prod.nope"), "/entities/0/table"),
                invalid("a primary key that is no column", edits("/entities/2/primaryKey", "nope"), "/entities/2/primaryKey"),
                invalid("a missing primary key", edits("/entities/1/primaryKey", null), "/entities/1/primaryKey"),
                invalid("an unknown join column", edits(CARTS + "/join/column", "nope"), CARTS + "/join/column"),
                invalid("an unknown parent column", edits(CARTS + "/join/parentColumn", "nope"), CARTS + "/join/parentColumn"),
                invalid("an unknown junction table", edits(PRODUCTS + "/junction/table", "prod.nope"), PRODUCTS + "/junction/table"),
                invalid("an unknown junction column", edits(PRODUCTS + "/junction/column", "nope"), PRODUCTS + "/junction/column"),
                invalid("an unknown traits table", edits("/profile/traitsTable", "nope"), "/profile/traitsTable"),
                invalid("an unknown event table", edits("/profile/eventTables", Map.of("Order/Completed", "nope")),
                        "/profile/eventTables/Order~1Completed"),
                invalid("join columns of types that do not compare", edits(CARTS + "/join/column", "abandoned_at"), CARTS + "/join/column"),
                // the shape of the graph
                invalid("a relationship slug used twice in the graph", edits(PRODUCTS + "/slug", "user-accounts"), PRODUCTS + "/slug"),
                invalid("an entity slug used twice (so no entity is 'cart' any more)", edits("/entities/1/slug", "account"), "/entities/1/slug",
                        CARTS + "/entity"),
                invalid("a slug that is not lowercase [a-z0-9_-]", edits(CARTS + "/slug", "Shopping Cart"), CARTS + "/slug"),
                invalid("7 levels counting the profile", edits(PRODUCTS + "/relationships", productChain(3)),
                        PRODUCTS + "/relationships/0/relationships/0/relationships/0"),
                invalid("a junction without its fields", edits(PRODUCTS + "/junction", Map.of()), PRODUCTS + "/junction/table",
                        PRODUCTS + "/junction/parentColumn", PRODUCTS + "/junction/parentKey", PRODUCTS + "/junction/column", PRODUCTS + "/junction/key"),
                invalid("a junction without its key", edits(PRODUCTS + "/junction/key", null), PRODUCTS + "/junction/key"),
                invalid("both join and junction", edits(PRODUCTS + "/join", Map.of("parentColumn", "id", "column", "sku")), PRODUCTS + "/junction"),
                invalid("neither join nor junction", edits(CARTS + "/join", null), CARTS + "/join"),
                invalid("a join between entities without a parent column", edits(CARTS + "/join", Map.of("column", "account_id")),
                        CARTS + "/join/parentColumn"),
                invalid("a profile relationship on both an external id and a trait",
                        edits(ACCOUNTS + "/join", Map.of("externalId", "email", "trait", "first_name", "column", "email")), ACCOUNTS + "/join"),
                invalid("a profile relationship on neither an external id nor a trait",
                        edits(ACCOUNTS + "/join", Map.of("parentColumn", "id", "column", "email")), ACCOUNTS + "/join"),
                invalid("a profile relationship without a join", edits(ACCOUNTS + "/join", null), ACCOUNTS + "/join"),
                invalid("a profile relationship through a junction", edits(ACCOUNTS + "/junction", Map.of("table", "prod.cart_product")),
                        ACCOUNTS + "/junction"),
                invalid("a profile relationship on an unknown trait", edits(ACCOUNTS + "/join", Map.of("trait", "nope", "column", "email")),
                        ACCOUNTS + "/join/trait"),
                invalid("a trait join of types that do not compare", edits(ACCOUNTS + "/join", Map.of("trait", "account_no", "column", "email")),
                        ACCOUNTS + "/join/column"),
                invalid("an external id joined to a column that is not text", edits(ACCOUNTS + "/join/column", "seats"), ACCOUNTS + "/join/column"),
                invalid("an unknown entity slug", edits(CARTS + "/entity", "nope"), CARTS + "/entity"),
                invalid("a relationship without an entity", edits(CARTS + "/entity", null), CARTS + "/entity"),
                // missing and null parts never crash
                invalid("no entities, relationships naming them", edits("/entities", null), "/entities", ACCOUNTS + "/entity",
                        CARTS + "/entity", PRODUCTS + "/entity"),
                invalid("a null entity", edits("/entities", Arrays.asList(null, Map.of("slug", "account", "table", "prod.accounts", "primaryKey", "id"),
                        Map.of("slug", "cart", "table", "prod.carts", "primaryKey", "id"),
                        Map.of("slug", "product", "table", "prod.product_skus", "primaryKey", "sku"))), "/entities/0"),
                invalid("a null relationship", edits(CARTS + "/relationships", Arrays.asList((Object) null)), CARTS + "/relationships/0"),
                invalid("no profile", edits("/profile", null), "/profile"),
                invalid("several problems at once", edits("/entities/0/table", "prod.nope", CARTS + "/join/column", "nope",
                                PRODUCTS + "/slug", "Products!", PRODUCTS + "/junction/key", "missing_key"),
                        "/entities/0/table", CARTS + "/join/column", PRODUCTS + "/slug", PRODUCTS + "/junction/key"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validGraphs")
    void validGraphsPass(String name, String graph) {
        assertEquals(List.of(), DataGraphValidator.validate(read(graph), CATALOG), name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidGraphs")
    void everyProblemIsReportedAtItsPointer(String name, String graph, List<String> expected) {
        List<String> pointers = DataGraphValidator.validate(read(graph), CATALOG).stream().map(FieldError::pointer).sorted().toList();
        assertEquals(expected.stream().sorted().toList(), pointers, name);
    }

    /** Where a schema that compute-service refuses is reported: the first field naming it. */
    @Test
    void aSchemaIsPointedAtWhereTheGraphFirstNamesIt() {
        DataGraph graph = read(edits(PRODUCTS + "/junction/table", "links.cart_product"));
        assertEquals("/profile/schema", DataGraphValidator.pointerNaming(graph, "segment_profiles"));
        assertEquals("/entities/0/table", DataGraphValidator.pointerNaming(graph, "prod"));
        assertEquals(PRODUCTS + "/junction/table", DataGraphValidator.pointerNaming(graph, "links"));
        assertEquals("", DataGraphValidator.pointerNaming(graph, "named_nowhere"));
    }

    private static Arguments invalid(String name, String graph, String... pointers) {
        return arguments(name, graph, Arrays.asList(pointers));
    }

    /** The sample graph with each (pointer, value) pair set; null sets a member to null. */
    private static String edits(Object... pointerValuePairs) {
        return sampleEdited("data-graph.json", pointerValuePairs);
    }

    /** {@code levels} relationships from products to products, each the child of the one before. */
    private static List<Object> productChain(int levels) {
        List<Object> below = null;
        for (int i = levels; i > 0; i--) {
            Map<String, Object> r = new HashMap<>(Map.of("slug", "variant_" + i, "entity", "product",
                    "join", Map.of("parentColumn", "sku", "column", "sku")));
            if (below != null) {
                r.put("relationships", below);
            }
            below = new ArrayList<>(List.of(r));
        }
        return below;
    }

    private static DataGraph read(String json) {
        try {
            return JSON.readValue(json, DataGraph.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
