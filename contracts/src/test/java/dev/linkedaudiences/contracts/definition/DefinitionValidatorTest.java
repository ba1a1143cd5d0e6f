package dev.linkedaudiences.contracts.definition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.problem.FieldError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * One case per kind of invalid definition in audience-model.md, each with the exact pointers expected, and the
 * valid neighbours of those cases, which must pass. Pointers not starting with "/" are relative to
 * {@code /definition/groups/0/conditions/}.
 */
class DefinitionValidatorTest {
    // as the services' ObjectMapper: unknown members are ignored
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final String CONDITIONS = "/definition/groups/0/conditions/";
    private static final String OWN_KEY = "being_saved";

    /**
     * profile -> user-accounts -> shopping_cart -> products -> variants -> variant_parts (level 6) -> too_deep (7);
     * user-accounts also has subscriptions, a sibling of shopping_cart. Profile traits cover every data type.
     */
    private static final DataGraph GRAPH = read("""
            {"entities": [
              {"slug": "account", "table": "prod.accounts", "primaryKey": "id"},
              {"slug": "cart", "table": "prod.carts", "primaryKey": "id"},
              {"slug": "product", "table": "prod.product_skus", "primaryKey": "sku"},
              {"slug": "subscription", "table": "prod.subscriptions", "primaryKey": "id"}],
             "profile": {"schema": "segment_profiles", "traitsTable": "profile_traits", "identifiersTable": "user_identifiers",
              "eventTables": {"Order Completed": "order_completed"},
              "relationships": [
                {"slug": "user-accounts", "entity": "account", "join": {"externalId": "email", "column": "email"}, "relationships": [
                  {"slug": "subscriptions", "entity": "subscription", "join": {"parentColumn": "id", "column": "account_id"}},
                  {"slug": "shopping_cart", "entity": "cart", "join": {"parentColumn": "id", "column": "account_id"}, "relationships": [
                    {"slug": "products", "entity": "product", "join": {"parentColumn": "id", "column": "cart_id"}, "relationships": [
                      {"slug": "variants", "entity": "product", "join": {"parentColumn": "sku", "column": "parent_sku"}, "relationships": [
                        {"slug": "variant_parts", "entity": "product", "join": {"parentColumn": "sku", "column": "parent_sku"}, "relationships": [
                          {"slug": "too_deep", "entity": "product", "join": {"parentColumn": "sku", "column": "parent_sku"}}]}]}]}]}]}]},
             "catalog": {
              "segment_profiles.profile_traits": {"canonical_segment_id": "STRING", "merged_to": "STRING", "first_name": "STRING",
                "last_name": "STRING", "age": "NUMBER", "vip": "BOOLEAN", "birthday": "DATE", "wake_up": "TIME",
                "signed_up_at": "TIMESTAMP", "prefs": "OTHER"},
              "segment_profiles.order_completed": {"id": "STRING", "segment_id": "STRING", "timestamp": "TIMESTAMP",
                "total": "NUMBER", "coupon": "STRING"},
              "prod.accounts": {"id": "STRING", "email": "STRING", "status": "STRING", "seats": "NUMBER",
                "last_login_at": "TIMESTAMP", "settings": "OTHER"},
              "prod.subscriptions": {"id": "STRING", "account_id": "STRING", "plan": "STRING"},
              "prod.carts": {"id": "STRING", "account_id": "STRING", "status": "STRING", "abandoned_at": "TIMESTAMP"},
              "prod.product_skus": {"sku": "STRING", "cart_id": "STRING", "parent_sku": "STRING", "product_name": "STRING",
                "price": "NUMBER"}}}""", DataGraph.class);

    /** Other audiences: refers_back references the audience being saved, refers_indirectly goes through refers_back. */
    private static final Map<String, AudienceDefinition> OTHERS = Map.of(
            "vip_customers", definition("{\"type\": \"trait\", \"trait\": \"vip\", \"op\": \"equals\", \"value\": {\"const\": true}}"),
            "refers_back", definition("{\"type\": \"audience\", \"audience\": \"" + OWN_KEY + "\"}"),
            "refers_indirectly", definition("{\"type\": \"audience\", \"audience\": \"refers_back\"}"));

    static Stream<Arguments> validDefinitions() {
        return Stream.of(
                valid("the spec's example", """
                        {"type": "entity", "negate": false, "relationship": "user-accounts",
                         "count": {"op": "at_least", "value": 1},
                         "where": {"operator": "and", "filters": [{"column": "status", "op": "equals", "value": {"const": "active"}}]},
                         "children": {"operator": "and", "conditions": [
                           {"type": "entity", "negate": false, "relationship": "shopping_cart", "count": {"op": "at_least", "value": 1},
                            "where": {"operator": "and", "filters": [{"column": "abandoned_at", "op": "greater_than",
                              "value": {"column": {"relationship": "user-accounts", "column": "last_login_at"}}}]}}]}},
                        {"type": "trait", "negate": false, "trait": "first_name", "op": "exists"},
                        {"type": "event", "negate": true, "event": "Order Completed", "count": {"op": "at_least", "value": 1},
                         "within": {"amount": 7, "unit": "days"},
                         "where": {"operator": "and", "filters": [{"property": "total", "op": "greater_than", "value": {"const": 0}}]}},
                        {"type": "audience", "negate": true, "audience": "vip_customers"}"""),
                valid("6 levels counting the profile", nested(5)),
                valid("NUMBER ops", trait("age", "less_than_or_equal", "{\"const\": 30.5}"), trait("age", "not_equals", "{\"const\": 3}")),
                valid("STRING ops", trait("first_name", "contains", "{\"const\": \"%_\\\\\"}"), trait("first_name", "ends_with", "{\"const\": \"\"}")),
                valid("BOOLEAN ops", trait("vip", "equals", "{\"const\": false}"), trait("vip", "not_equals", "{\"const\": true}")),
                valid("DATE ops", trait("birthday", "greater_than", "{\"const\": \"2026-01-31\"}")),
                valid("TIME ops", trait("wake_up", "less_than", "{\"const\": \"08:30\"}"), trait("wake_up", "equals", "{\"const\": \"08:30:15\"}")),
                valid("TIMESTAMP ops", trait("signed_up_at", "greater_than_or_equal", "{\"const\": \"2026-01-31T08:00:00+02:00\"}"),
                        trait("signed_up_at", "less_than", "{\"const\": \"2026-01-31T08:00:00Z\"}")),
                valid("exists and not_exists on every type, a value given with them ignored", trait("age", "exists", null),
                        trait("vip", "not_exists", "{\"const\": \"ignored\"}"), trait("birthday", "exists", "{}")),
                valid("a trait compared with a trait of its type", trait("first_name", "equals", "{\"trait\": \"last_name\"}")),
                valid("column references to the own level and an ancestor", """
                        {"type": "entity", "relationship": "user-accounts", "children": {"operator": "or", "conditions": [
                          {"type": "entity", "relationship": "shopping_cart", "where": {"operator": "or", "filters": [
                            {"column": "status", "op": "equals", "value": {"column": {"relationship": "shopping_cart", "column": "id"}}},
                            {"column": "status", "op": "equals", "value": {"column": {"relationship": "user-accounts", "column": "status"}}},
                            {"column": "status", "op": "equals", "value": {"trait": "first_name"}}]}}]}}"""),
                valid("an entity count of 0 without where or children", entity("exactly", 0, ""), entity("at_most", 0, ""),
                        entity("exactly", 3, ""), entity("at_most", 2, "")),
                valid("an event count of 0 keeps where and within", """
                        {"type": "event", "event": "Order Completed", "count": {"op": "exactly", "value": 0},
                         "within": {"amount": 1, "unit": "weeks"},
                         "where": {"operator": "and", "filters": [{"property": "coupon", "op": "starts_with", "value": {"trait": "first_name"}}]}}"""),
                valid("every within unit", within(30, "minutes"), within(2, "hours"), within(1, "days"), within(4, "weeks")),
                valid("an event with no table mapping uses its snake_case name", "{\"type\": \"event\", \"event\": \"order completed\"}"),
                valid("an audience that does not lead back", "{\"type\": \"audience\", \"audience\": \"vip_customers\", \"negate\": true}"));
    }

    static Stream<Arguments> invalidDefinitions() {
        return Stream.of(
                // names the graph does not have
                invalid("unknown relationship", "{\"type\": \"entity\", \"relationship\": \"nope\"}", "0/relationship"),
                invalid("missing relationship", "{\"type\": \"entity\"}", "0/relationship"),
                invalid("unknown trait", trait("nope", "exists", null), "0/trait"),
                invalid("profile columns that are not traits", trait("merged_to", "exists", null), "0/trait"),
                invalid("a trait of a type that cannot be filtered", trait("prefs", "exists", null), "0/trait"),
                invalid("unknown event", "{\"type\": \"event\", \"event\": \"Never Happened\"}", "0/event"),
                invalid("missing event", "{\"type\": \"event\"}", "0/event"),
                invalid("unknown event property", event("{\"property\": \"nope\", \"op\": \"exists\"}"), "0/where/filters/0/property"),
                invalid("an event filter names a property, not a column", event("{\"column\": \"total\", \"op\": \"exists\"}"),
                        "0/where/filters/0/property"),
                invalid("unknown entity column", accounts("{\"column\": \"nope\", \"op\": \"exists\"}"), "0/where/filters/0/column"),
                invalid("an entity column that cannot be filtered", accounts("{\"column\": \"settings\", \"op\": \"exists\"}"),
                        "0/where/filters/0/column"),
                invalid("unknown audience", "{\"type\": \"audience\", \"audience\": \"nope\"}", "0/audience"),
                invalid("missing audience", "{\"type\": \"audience\"}", "0/audience"),
                // nesting
                invalid("a top-level condition on a child relationship", "{\"type\": \"entity\", \"relationship\": \"shopping_cart\"}",
                        "0/relationship"),
                invalid("a child that is not a child of its parent's relationship", """
                        {"type": "entity", "relationship": "user-accounts", "children": {"operator": "and", "conditions": [
                          {"type": "entity", "relationship": "products"}]}}""", "0/children/conditions/0/relationship"),
                invalid("a child naming an unknown relationship", """
                        {"type": "entity", "relationship": "user-accounts", "children": {"operator": "and", "conditions": [
                          {"type": "entity", "relationship": "nope"}]}}""", "0/children/conditions/0/relationship"),
                invalid("7 levels counting the profile", nested(6),
                        "0" + "/children/conditions/0".repeat(5) + "/relationship"),
                // operators by data type
                invalid("NUMBER with a text operator", trait("age", "contains", "{\"const\": 1}"), "0/op"),
                invalid("STRING with an ordering", trait("first_name", "greater_than", "{\"const\": \"A\"}"), "0/op"),
                invalid("BOOLEAN with an ordering", trait("vip", "less_than", "{\"const\": true}"), "0/op"),
                invalid("DATE with a text operator", trait("birthday", "starts_with", "{\"const\": \"2026-01-31\"}"), "0/op"),
                invalid("TIME with a text operator", trait("wake_up", "not_contains", "{\"const\": \"08:30\"}"), "0/op"),
                invalid("TIMESTAMP with a text operator",
                        carts("{\"column\": \"abandoned_at\", \"op\": \"ends_with\", \"value\": {\"const\": \"2026-01-31T00:00:00Z\"}}"),
                        "0/children/conditions/0/where/filters/0/op"),
                invalid("an event property with an operator of another type", event("{\"property\": \"total\", \"op\": \"contains\", \"value\": {\"const\": 1}}"),
                        "0/where/filters/0/op"),
                invalid("an unknown operator", trait("first_name", "like", "{\"const\": \"A\"}"), "0/op"),
                invalid("a missing operator", trait("first_name", null, "{\"const\": \"A\"}"), "0/op"),
                // values
                invalid("a trait comparison without a value", trait("first_name", "equals", null), "0/value"),
                invalid("a filter without a value", accounts("{\"column\": \"seats\", \"op\": \"greater_than\"}"), "0/where/filters/0/value"),
                invalid("an empty value", trait("age", "equals", "{}"), "0/value"),
                invalid("a null constant", trait("age", "equals", "{\"const\": null}"), "0/value"),
                invalid("a value that is two kinds at once", trait("age", "equals", "{\"const\": 1, \"trait\": \"age\"}"), "0/value"),
                invalid("a string for NUMBER", trait("age", "equals", "{\"const\": \"30\"}"), "0/value"),
                invalid("a string for an event's NUMBER", event("{\"property\": \"total\", \"op\": \"less_than\", \"value\": {\"const\": \"9\"}}"),
                        "0/where/filters/0/value"),
                invalid("a date not in ISO-8601", trait("birthday", "equals", "{\"const\": \"31/01/2026\"}"), "0/value"),
                invalid("a timestamp for DATE", trait("birthday", "equals", "{\"const\": \"2026-01-31T00:00:00Z\"}"), "0/value"),
                invalid("a time not in ISO-8601", trait("wake_up", "equals", "{\"const\": \"8am\"}"), "0/value"),
                invalid("a timestamp without an offset", trait("signed_up_at", "equals", "{\"const\": \"2026-01-31T08:00:00\"}"), "0/value"),
                invalid("a non-boolean for BOOLEAN", trait("vip", "equals", "{\"const\": \"true\"}"), "0/value"),
                invalid("a number for STRING", trait("first_name", "equals", "{\"const\": 5}"), "0/value"),
                invalid("a trait reference of another type", trait("age", "equals", "{\"trait\": \"first_name\"}"), "0/value"),
                invalid("an unknown trait reference", trait("age", "equals", "{\"trait\": \"nope\"}"), "0/value"),
                invalid("a column reference of another type", carts("{\"column\": \"status\", \"op\": \"equals\", "
                        + "\"value\": {\"column\": {\"relationship\": \"user-accounts\", \"column\": \"last_login_at\"}}}"),
                        "0/children/conditions/0/where/filters/0/value"),
                invalid("a column reference to a sibling", carts(columnRef("subscriptions", "plan")),
                        "0/children/conditions/0/where/filters/0/value"),
                invalid("a column reference to a descendant", accounts(columnRef("shopping_cart", "status")), "0/where/filters/0/value"),
                invalid("a column reference to an unknown relationship", accounts(columnRef("nope", "status")), "0/where/filters/0/value"),
                invalid("a column reference without a relationship", accounts("{\"column\": \"status\", \"op\": \"equals\", \"value\": {\"column\": {}}}"),
                        "0/where/filters/0/value"),
                invalid("a column reference to an unknown column", carts(columnRef("user-accounts", "nope")),
                        "0/children/conditions/0/where/filters/0/value"),
                invalid("a column reference in an event filter", event("{\"property\": \"coupon\", \"op\": \"equals\", "
                        + "\"value\": {\"column\": {\"relationship\": \"user-accounts\", \"column\": \"status\"}}}"), "0/where/filters/0/value"),
                invalid("a column reference in a trait condition",
                        trait("first_name", "equals", "{\"column\": {\"relationship\": \"user-accounts\", \"column\": \"status\"}}"), "0/value"),
                // counts
                invalid("at_least 0", entity("at_least", 0, ""), "0/count"),
                invalid("exactly below 0", entity("exactly", -1, ""), "0/count"),
                invalid("at_most below 0", entity("at_most", -5, ""), "0/count"),
                invalid("an unknown count op", entity("more_than", 1, ""), "0/count"),
                invalid("a count without a value", "{\"type\": \"entity\", \"relationship\": \"user-accounts\", \"count\": {\"op\": \"exactly\"}}",
                        "0/count"),
                invalid("an entity count of 0 with where", entity("exactly", 0, ", \"where\": " + where("{\"column\": \"status\", \"op\": \"exists\"}")),
                        "0/count"),
                invalid("an entity count of 0 with children", entity("at_most", 0, ", \"children\": {\"operator\": \"and\", \"conditions\": "
                        + "[{\"type\": \"entity\", \"relationship\": \"shopping_cart\"}]}"), "0/count"),
                invalid("an event count below 0", "{\"type\": \"event\", \"event\": \"Order Completed\", \"count\": {\"op\": \"at_most\", \"value\": -1}}",
                        "0/count"),
                invalid("an event count of at_least 0", "{\"type\": \"event\", \"event\": \"Order Completed\", \"count\": {\"op\": \"at_least\", \"value\": 0}}",
                        "0/count"),
                // children
                invalid("a trait among children", withChild(trait("first_name", "exists", null)), "0/children/conditions/0/type"),
                invalid("an event among children", withChild("{\"type\": \"event\", \"event\": \"Order Completed\"}"), "0/children/conditions/0/type"),
                invalid("an audience among children", withChild("{\"type\": \"audience\", \"audience\": \"vip_customers\"}"),
                        "0/children/conditions/0/type"),
                // empty lists
                invalid("no conditions in a group", "", "/definition/groups/0/conditions"),
                invalid("no child conditions", "{\"type\": \"entity\", \"relationship\": \"user-accounts\", \"children\": {\"operator\": \"and\", \"conditions\": []}}",
                        "0/children/conditions"),
                invalid("missing child conditions", "{\"type\": \"entity\", \"relationship\": \"user-accounts\", \"children\": {\"operator\": \"and\"}}",
                        "0/children/conditions"),
                invalid("no filters", "{\"type\": \"entity\", \"relationship\": \"user-accounts\", \"where\": {\"operator\": \"and\", \"filters\": []}}",
                        "0/where/filters"),
                invalid("no event filters", "{\"type\": \"event\", \"event\": \"Order Completed\", \"where\": {\"operator\": \"and\"}}",
                        "0/where/filters"),
                // operators between parts
                invalid("a where operator other than and/or", "{\"type\": \"entity\", \"relationship\": \"user-accounts\", \"where\": "
                        + "{\"operator\": \"not\", \"filters\": [{\"column\": \"status\", \"op\": \"exists\"}]}}", "0/where/operator"),
                invalid("a missing children operator", "{\"type\": \"entity\", \"relationship\": \"user-accounts\", \"children\": "
                        + "{\"conditions\": [{\"type\": \"entity\", \"relationship\": \"shopping_cart\"}]}}", "0/children/operator"),
                // condition types
                invalid("an unknown condition type", "{\"type\": \"segment\"}", "0/type"),
                invalid("a missing condition type", "{\"trait\": \"first_name\", \"op\": \"exists\"}", "0/type"),
                // within
                invalid("a within with an unknown unit", within(3, "fortnights"), "0/within"),
                invalid("a within of 0", within(0, "days"), "0/within"),
                invalid("a within below 0", within(-3, "days"), "0/within"),
                invalid("a within without an amount", "{\"type\": \"event\", \"event\": \"Order Completed\", \"within\": {\"unit\": \"days\"}}",
                        "0/within"),
                invalid("a within without a unit", "{\"type\": \"event\", \"event\": \"Order Completed\", \"within\": {\"amount\": 1}}", "0/within"),
                invalid("a within wrong twice", within(0, "months"), "0/within", "0/within"),
                // audiences
                invalid("an audience referencing itself", "{\"type\": \"audience\", \"audience\": \"" + OWN_KEY + "\"}", "0/audience"),
                invalid("a cycle through one audience", "{\"type\": \"audience\", \"audience\": \"refers_back\"}", "0/audience"),
                invalid("a cycle through two audiences", "{\"type\": \"audience\", \"audience\": \"refers_indirectly\"}", "0/audience"),
                // nulls inside lists
                invalid("a null condition", "null", "0"),
                invalid("a null filter", accounts("null"), "0/where/filters/0"),
                invalid("a null child", withChild("null"), "0/children/conditions/0"),
                // several problems, each listed; the problems of a condition do not hide those of its neighbours
                invalid("several problems at once", """
                        {"type": "entity", "relationship": "nope", "count": {"op": "at_least", "value": 0}},
                        {"type": "trait", "trait": "nope", "op": "like", "value": {"trait": "also_nope"}},
                        {"type": "event", "event": "Never Happened", "count": {"op": "exactly", "value": -2}, "within": {"amount": 0, "unit": "days"}},
                        {"type": "entity", "relationship": "user-accounts", "where": {"operator": "xor", "filters": [
                          {"column": "seats", "op": "contains", "value": {"const": "many"}},
                          {"column": "nope", "op": "greater_than"},
                          null]},
                         "children": {"operator": "and", "conditions": [
                           {"type": "trait", "trait": "first_name", "op": "exists"},
                           {"type": "entity", "relationship": "shopping_cart", "count": {"op": "exactly", "value": 0},
                            "where": {"operator": "and", "filters": [{"column": "status", "op": "equals",
                              "value": {"column": {"relationship": "subscriptions", "column": "plan"}}}]}}]}},
                        {"type": "audience", "audience": "refers_back"}""",
                        "0/count", "0/relationship",
                        "1/trait", "1/op", "1/value",
                        "2/count", "2/within", "2/event",
                        "3/where/operator", "3/where/filters/0/op", "3/where/filters/0/value", "3/where/filters/1/column",
                        "3/where/filters/1/value", "3/where/filters/2", "3/children/conditions/0/type",
                        "3/children/conditions/1/count", "3/children/conditions/1/where/filters/0/value",
                        "4/audience"));
    }

    /** Definitions broken above the conditions, with absolute pointers. */
    static Stream<Arguments> invalidShapes() {
        return Stream.of(
                arguments("a missing definition", null, List.of("/definition")),
                arguments("a definition operator other than and/or", "{\"operator\": \"xor\", \"groups\": [" + group(trait("age", "exists", null)) + "]}",
                        List.of("/definition/operator")),
                arguments("a missing definition operator", "{\"groups\": [" + group(trait("age", "exists", null)) + "]}",
                        List.of("/definition/operator")),
                arguments("a group operator other than and/or",
                        "{\"operator\": \"and\", \"groups\": [{\"operator\": \"AND\", \"conditions\": [" + trait("age", "exists", null) + "]}]}",
                        List.of("/definition/groups/0/operator")),
                arguments("no groups", "{\"operator\": \"and\", \"groups\": []}", List.of("/definition/groups")),
                arguments("missing groups", "{\"operator\": \"or\"}", List.of("/definition/groups")),
                arguments("a null group", "{\"operator\": \"and\", \"groups\": [null, " + group(trait("age", "exists", null)) + "]}",
                        List.of("/definition/groups/0")),
                arguments("an empty definition", "{}", List.of("/definition/operator", "/definition/groups")),
                arguments("problems in two groups", "{\"operator\": \"and\", \"groups\": [" + group(trait("nope", "exists", null)) + ", "
                        + group("{\"type\": \"entity\", \"relationship\": \"nope\"}") + "]}",
                        List.of("/definition/groups/0/conditions/0/trait", "/definition/groups/1/conditions/0/relationship")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validDefinitions")
    void validDefinitionsPass(String name, String conditions) {
        assertEquals(List.of(), validate(definition(conditions)), name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidDefinitions")
    void everyProblemIsReportedAtItsPointer(String name, String conditions, List<String> expected) {
        List<String> pointers = validate(definition(conditions)).stream().map(FieldError::pointer).sorted().toList();
        assertEquals(expected.stream().map(p -> p.startsWith("/") ? p : CONDITIONS + p).sorted().toList(), pointers, name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidShapes")
    void brokenShapesAreReportedAtTheirPointer(String name, String definition, List<String> expected) {
        AudienceDefinition parsed = definition == null ? null : read(definition, AudienceDefinition.class);
        assertEquals(expected.stream().sorted().toList(), validate(parsed).stream().map(FieldError::pointer).sorted().toList(), name);
    }

    @Test
    void aPreviewHasNoKeyOfItsOwnSoNoReferenceIsACycle() {
        AudienceDefinition definition = definition("{\"type\": \"audience\", \"audience\": \"refers_back\"}");
        assertEquals(List.of(), DefinitionValidator.validate(definition, "/definition", GRAPH, null, OTHERS));
    }

    @Test
    void theDefinitionHelpersReadBrokenDefinitionsWithoutFailing() {
        AudienceDefinition broken = read("{\"groups\": [null, {\"conditions\": [null, {\"type\": \"entity\", \"relationship\": \"user-accounts\", "
                + "\"children\": {\"conditions\": [null, {\"type\": \"entity\"}]}}, {\"type\": \"audience\"}]}, {}]}", AudienceDefinition.class);
        assertEquals(Set.of("user-accounts"), DefinitionValidator.matchedRelationships(broken));
        assertTrue(DefinitionValidator.referencedAudiences(broken).isEmpty());
        assertTrue(DefinitionValidator.matchedRelationships(read("{}", AudienceDefinition.class)).isEmpty());
        assertTrue(DefinitionValidator.matchedRelationships(null).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notWholeNumbers")
    void countsAndWindowsAreWholeNumbersNeverTruncated(String json, Class<?> type) {
        assertThrows(MismatchedInputException.class, () -> JSON.readValue(json, type));
    }

    static Stream<Arguments> notWholeNumbers() {
        return Stream.of(arguments("{\"op\": \"at_least\", \"value\": 1.5}", Condition.Count.class),
                arguments("{\"op\": \"at_least\", \"value\": \"2\"}", Condition.Count.class),
                arguments("{\"op\": \"at_least\", \"value\": true}", Condition.Count.class),
                arguments("{\"amount\": 1.5, \"unit\": \"days\"}", Condition.Within.class));
    }

    @Test
    void wholeNumbersAreRead() throws JsonProcessingException {
        assertEquals(new Condition.Count("exactly", 0L), JSON.readValue("{\"op\": \"exactly\", \"value\": 0}", Condition.Count.class));
        assertEquals(new Condition.Within(7L, "days"), JSON.readValue("{\"amount\": 7, \"unit\": \"days\"}", Condition.Within.class));
        assertEquals(new Condition.Count("exactly", null), JSON.readValue("{\"op\": \"exactly\", \"value\": null}", Condition.Count.class));
    }

    // ---- building definitions

    private static List<FieldError> validate(AudienceDefinition definition) {
        return DefinitionValidator.validate(definition, "/definition", GRAPH, OWN_KEY, OTHERS);
    }

    private static Arguments valid(String name, String... conditions) {
        return arguments(name, String.join(", ", conditions));
    }

    private static Arguments invalid(String name, String conditions, String... pointers) {
        return arguments(name, conditions, Arrays.asList(pointers));
    }

    private static AudienceDefinition definition(String conditions) {
        return read("{\"operator\": \"and\", \"groups\": [" + group(conditions) + "]}", AudienceDefinition.class);
    }

    private static String group(String conditions) {
        return "{\"operator\": \"and\", \"conditions\": [" + conditions + "]}";
    }

    private static String trait(String trait, String op, String value) {
        return "{\"type\": \"trait\", \"trait\": \"" + trait + "\""
                + (op == null ? "" : ", \"op\": \"" + op + "\"") + (value == null ? "" : ", \"value\": " + value) + "}";
    }

    private static String entity(String countOp, long countValue, String more) {
        return "{\"type\": \"entity\", \"relationship\": \"user-accounts\", \"count\": {\"op\": \"" + countOp + "\", \"value\": "
                + countValue + "}" + more + "}";
    }

    private static String where(String filter) {
        return "{\"operator\": \"and\", \"filters\": [" + filter + "]}";
    }

    /** A user-accounts condition with one filter. */
    private static String accounts(String filter) {
        return "{\"type\": \"entity\", \"relationship\": \"user-accounts\", \"where\": " + where(filter) + "}";
    }

    /** A user-accounts condition with one shopping_cart child with one filter. */
    private static String carts(String filter) {
        return withChild("{\"type\": \"entity\", \"relationship\": \"shopping_cart\", \"where\": " + where(filter) + "}");
    }

    private static String withChild(String child) {
        return "{\"type\": \"entity\", \"relationship\": \"user-accounts\", \"children\": {\"operator\": \"and\", \"conditions\": [" + child + "]}}";
    }

    private static String event(String filter) {
        return "{\"type\": \"event\", \"event\": \"Order Completed\", \"where\": " + where(filter) + "}";
    }

    private static String within(long amount, String unit) {
        return "{\"type\": \"event\", \"event\": \"Order Completed\", \"within\": {\"amount\": " + amount + ", \"unit\": \"" + unit + "\"}}";
    }

    /** An equality of a STRING column with a column reference. */
    private static String columnRef(String relationship, String column) {
        return "{\"column\": \"status\", \"op\": \"equals\", \"value\": {\"column\": {\"relationship\": \"" + relationship
                + "\", \"column\": \"" + column + "\"}}}";
    }

    /** Entity conditions nested {@code levels} deep along the graph's longest branch (levels + 1 counting the profile). */
    private static String nested(int levels) {
        List<String> path = List.of("user-accounts", "shopping_cart", "products", "variants", "variant_parts", "too_deep");
        String condition = "{\"type\": \"entity\", \"relationship\": \"" + path.get(levels - 1) + "\"}";
        for (int i = levels - 2; i >= 0; i--) {
            condition = "{\"type\": \"entity\", \"relationship\": \"" + path.get(i) + "\", \"children\": {\"operator\": \"and\", \"conditions\": ["
                    + condition + "]}}";
        }
        return condition;
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
