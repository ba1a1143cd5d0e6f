package dev.linkedaudiences.compute.conformance;

import dev.linkedaudiences.contracts.definition.AudienceDefinition;
import dev.linkedaudiences.contracts.definition.Condition;
import dev.linkedaudiences.contracts.definition.Operators;
import dev.linkedaudiences.contracts.definition.Value;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.graph.DataType;
import dev.linkedaudiences.contracts.graph.EntityType;
import dev.linkedaudiences.contracts.graph.Relationship;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded random definitions over {@link RandomWarehouse#graph()} that pass validation: every condition type but
 * audience, negation, every count rule (zero counts without where/children), every operator of every data type,
 * constants, trait references and ancestor column references, nested down to products.
 */
public final class RandomDefinitions {
    private static final List<String> ALL_OPS = List.of("equals", "not_equals", "less_than", "greater_than", "less_than_or_equal",
            "greater_than_or_equal", "contains", "not_contains", "starts_with", "ends_with", "exists", "not_exists");
    private static final List<String> TEXT = List.of("alpha", "al", "pha", "%", "_", "\\", "'", "al%pha", "al_pha", "Alpha",
            "active", "act", "ive", "", "100%", "u1", "@example.com", "premium", "pro_");

    private final Random random;
    private final DataGraph graph;
    private final Instant runStart;

    public RandomDefinitions(long seed, DataGraph graph, Instant runStart) {
        this.random = new Random(seed);
        this.graph = graph;
        this.runStart = runStart;
    }

    public AudienceDefinition next() {
        List<AudienceDefinition.ConditionGroup> groups = new ArrayList<>();
        for (int g = 0; g < 1 + random.nextInt(2); g++) {
            List<Condition> conditions = new ArrayList<>();
            for (int c = 0; c < 1 + random.nextInt(3); c++) {
                conditions.add(switch (random.nextInt(4)) {
                    case 0 -> trait();
                    case 1 -> event();
                    default -> entity(graph.profile().relationshipsOrEmpty().get(0), List.of());
                });
            }
            groups.add(new AudienceDefinition.ConditionGroup(logical(), conditions));
        }
        return new AudienceDefinition(logical(), groups);
    }

    private Condition trait() {
        String trait = pick(List.of("first_name", "plan", "age", "vip"));
        DataType type = traitType(trait);
        String op = op(type);
        return new Condition(Condition.TRAIT, negate(), null, null, null, null, trait, op, value(type, op, List.of(), true), null, null, null);
    }

    /** @param ancestors the relationships above, whose columns a filter may reference */
    private Condition entity(Relationship r, List<Relationship> ancestors) {
        EntityType entity = graph.entity(r.entity()).orElseThrow();
        String countOp = pick(List.of("at_least", "at_least", "exactly", "at_most"));
        long countValue = countOp.equals("at_least") ? 1 + random.nextInt(2) : random.nextInt(3);
        Condition.FilterGroup where = null;
        Condition.Children children = null;
        if (countValue > 0 || countOp.equals("at_least")) {
            List<Relationship> scope = new ArrayList<>(ancestors);
            scope.add(r);
            if (random.nextBoolean()) {
                List<Condition.Filter> filters = new ArrayList<>();
                for (int i = 0; i < 1 + random.nextInt(2); i++) {
                    String column = pick(List.copyOf(graph.catalog().get(entity.table()).keySet()));
                    DataType type = graph.columnType(entity.table(), column).orElseThrow();
                    String op = op(type);
                    filters.add(new Condition.Filter(column, null, op, value(type, op, scope, true)));
                }
                where = new Condition.FilterGroup(logical(), filters);
            }
            if (!r.relationshipsOrEmpty().isEmpty() && random.nextInt(3) > 0) {
                List<Condition> nested = new ArrayList<>();
                for (int i = 0; i < 1 + random.nextInt(2); i++) {
                    nested.add(entity(r.relationshipsOrEmpty().get(0), scope));
                }
                children = new Condition.Children(logical(), nested);
            }
        }
        return new Condition(Condition.ENTITY, negate(), r.slug(), new Condition.Count(countOp, countValue), where, children,
                null, null, null, null, null, null);
    }

    private Condition event() {
        String countOp = pick(List.of("at_least", "exactly", "at_most"));
        long countValue = countOp.equals("at_least") ? 1 + random.nextInt(2) : random.nextInt(3);
        Condition.Within within = random.nextBoolean() ? null
                : new Condition.Within(1L + random.nextInt(20), pick(List.of("minutes", "hours", "days", "weeks")));
        Condition.FilterGroup where = null;
        if (random.nextBoolean()) {
            String property = pick(List.of("total", "id"));
            DataType type = property.equals("total") ? DataType.NUMBER : DataType.STRING;
            String op = op(type);
            where = new Condition.FilterGroup(logical(), List.of(new Condition.Filter(null, property, op, value(type, op, List.of(), true))));
        }
        return new Condition(Condition.EVENT, negate(), null, new Condition.Count(countOp, countValue), where, null, null, null, null,
                "Order Completed", within, null);
    }

    private Value value(DataType type, String op, List<Relationship> scope, boolean dynamicAllowed) {
        if (Operators.PRESENCE.contains(op)) {
            return null;
        }
        if (dynamicAllowed && random.nextInt(4) == 0) {
            List<String> traits = List.of("first_name", "plan", "age", "vip").stream().filter(t -> traitType(t) == type).toList();
            if (!traits.isEmpty() && random.nextBoolean()) {
                return new Value(null, pick(traits), null);
            }
            for (Relationship r : scope) {
                EntityType e = graph.entity(r.entity()).orElseThrow();
                List<String> columns = graph.catalog().get(e.table()).entrySet().stream().filter(c -> c.getValue() == type)
                        .map(Map.Entry::getKey).toList();
                if (!columns.isEmpty() && random.nextBoolean()) {
                    return new Value(null, null, new Value.ColumnRef(r.slug(), pick(columns)));
                }
            }
        }
        return new Value(switch (type) {
            case STRING -> pick(TEXT);
            case NUMBER -> random.nextInt(3) == 0 ? random.nextInt(100) : random.nextInt(50000) / 100.0;
            case BOOLEAN -> random.nextBoolean();
            case TIMESTAMP -> runStart.minusSeconds(random.nextInt(30 * 86400)).atOffset(ZoneOffset.ofHours(random.nextInt(5) - 2)).toString();
            default -> throw new IllegalArgumentException(type.name());
        }, null, null);
    }

    private String op(DataType type) {
        List<String> allowed = ALL_OPS.stream().filter(op -> Operators.allowed(type, op)).toList();
        return pick(allowed);
    }

    private DataType traitType(String trait) {
        return graph.columnType(graph.profile().traitsTableOrDefault(), trait).orElseThrow();
    }

    private Boolean negate() {
        return random.nextInt(4) == 0 ? Boolean.TRUE : null;
    }

    private String logical() {
        return random.nextBoolean() ? "and" : "or";
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
