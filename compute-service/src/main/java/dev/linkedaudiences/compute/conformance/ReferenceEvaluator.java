package dev.linkedaudiences.compute.conformance;

import dev.linkedaudiences.contracts.definition.AudienceDefinition;
import dev.linkedaudiences.contracts.definition.Condition;
import dev.linkedaudiences.contracts.definition.Value;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.graph.DataType;
import dev.linkedaudiences.contracts.graph.EntityType;
import dev.linkedaudiences.contracts.graph.Relationship;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * audience-model.md evaluated row by row in memory, written from the spec and nothing else: the reference the
 * compiled SQL must agree with. Deliberately plain; speed does not matter here.
 */
public final class ReferenceEvaluator {

    /** One matched entity of a member, under its parent (null at the top level). */
    public record Matched(String profile, String relationship, String key, String parentRelationship, String parentKey) {
    }

    private final RandomWarehouse warehouse;
    private final DataGraph graph;

    /** The entity rows bound on the way down, by relationship slug, for column references. */
    private record Scope(String relationship, Map<String, Object> row, Scope parent) {
        Map<String, Object> find(String slug) {
            for (Scope s = this; s != null; s = s.parent) {
                if (s.relationship.equals(slug)) {
                    return s.row;
                }
            }
            throw new IllegalArgumentException(slug + " not in scope");
        }
    }

    public ReferenceEvaluator(RandomWarehouse warehouse, DataGraph graph) {
        this.warehouse = warehouse;
        this.graph = graph;
    }

    public Set<String> members(AudienceDefinition d) {
        Set<String> members = new HashSet<>();
        for (Map<String, Object> p : warehouse.tables.get("profile_traits")) {
            if (p.get("merged_to") == null && holds(d, p)) {
                members.add((String) p.get("canonical_segment_id"));
            }
        }
        return members;
    }

    /** The profile's identifier of this type (user_id, email), the smallest when it has several; null when it has none. */
    public String identifier(String profile, String type) {
        return warehouse.tables.get("user_identifiers").stream()
                .filter(i -> profile.equals(i.get("canonical_segment_id")) && type.equals(i.get("type")))
                .map(i -> (String) i.get("value")).min(String::compareTo).orElse(null);
    }

    public Set<Matched> matched(AudienceDefinition d) {
        Set<Matched> matched = new HashSet<>();
        for (Map<String, Object> p : warehouse.tables.get("profile_traits")) {
            if (p.get("merged_to") != null || !holds(d, p)) {
                continue;
            }
            for (AudienceDefinition.ConditionGroup g : d.groups()) {
                if (!combine(g.operator(), g.conditions(), c -> condition(c, p, null))) {
                    continue;
                }
                for (Condition c : g.conditions()) {
                    record(c, p, null, null, matched);
                }
            }
        }
        return matched;
    }

    /** The rows of M of a satisfied, un-negated entity condition, and below each, its children's. */
    private void record(Condition c, Map<String, Object> p, Scope parent, String parentKey, Set<Matched> into) {
        if (!Condition.ENTITY.equals(c.type()) || c.negated() || !condition(c, p, parent)) {
            return;
        }
        EntityType entity = entityOf(c.relationship());
        for (Map<String, Object> row : rowsOfM(c, p, parent)) {
            String key = String.valueOf(row.get(entity.primaryKey()));
            into.add(new Matched((String) p.get("canonical_segment_id"), c.relationship(), key,
                    parent == null ? null : parent.relationship(), parentKey));
            if (c.children() != null) {
                Scope scope = new Scope(c.relationship(), row, parent);
                for (Condition child : c.children().conditions()) {
                    record(child, p, scope, key, into);
                }
            }
        }
    }

    private boolean holds(AudienceDefinition d, Map<String, Object> p) {
        return combine(d.operator(), d.groups(), g -> combine(g.operator(), g.conditions(), c -> condition(c, p, null)));
    }

    private static <T> boolean combine(String operator, List<T> items, Predicate<T> test) {
        return "or".equals(operator) ? items.stream().anyMatch(test) : items.stream().allMatch(test);
    }

    private boolean condition(Condition c, Map<String, Object> p, Scope parent) {
        boolean value = switch (c.type()) {
            case Condition.TRAIT -> compare(p.get(c.trait()), c.op(), c.value(), traitType(c.trait()), p, parent);
            case Condition.ENTITY -> count(distinctKeys(c, rowsOfM(c, p, parent)), c.countOrDefault());
            case Condition.EVENT -> count(events(c, p), c.countOrDefault());
            default -> throw new IllegalArgumentException(c.type());
        };
        return c.negated() != value;
    }

    private long distinctKeys(Condition c, List<Map<String, Object>> rows) {
        String pk = entityOf(c.relationship()).primaryKey();
        return rows.stream().map(r -> r.get(pk)).distinct().count();
    }

    private static boolean count(long n, Condition.Count count) {
        return switch (count.op()) {
            case "at_least" -> n >= count.value();
            case "exactly" -> n == count.value();
            case "at_most" -> n <= count.value();
            default -> throw new IllegalArgumentException(count.op());
        };
    }

    /** M: rows related to the parent (the profile at the top), with a primary key, where and children holding. */
    private List<Map<String, Object>> rowsOfM(Condition c, Map<String, Object> p, Scope parent) {
        Relationship r = graph.relationship(c.relationship()).orElseThrow();
        EntityType entity = entityOf(r.slug());
        List<Map<String, Object>> m = new ArrayList<>();
        for (Map<String, Object> row : warehouse.tables.get(tableName(entity.table()))) {
            if (row.get(entity.primaryKey()) == null || !related(r, row, p, parent)) {
                continue;
            }
            Scope scope = new Scope(r.slug(), row, parent);
            boolean where = c.where() == null || combine(c.where().operator(), c.where().filters(),
                    f -> compare(row.get(f.column()), f.op(), f.value(), graph.columnType(entity.table(), f.column()).orElseThrow(), p, scope));
            boolean children = c.children() == null || combine(c.children().operator(), c.children().conditions(),
                    child -> condition(child, p, scope));
            if (where && children) {
                m.add(row);
            }
        }
        return m;
    }

    private boolean related(Relationship r, Map<String, Object> row, Map<String, Object> p, Scope parent) {
        if (parent == null) {
            Object value = row.get(r.join().column());
            if (r.join().trait() != null) {
                return value != null && value.equals(p.get(r.join().trait()));
            }
            return warehouse.tables.get("user_identifiers").stream().anyMatch(i -> i.get("canonical_segment_id").equals(p.get("canonical_segment_id"))
                    && i.get("type").equals(r.join().externalId()) && i.get("value").equals(value));
        }
        Map<String, Object> parentRow = parent.row();
        if (r.join() != null) {
            Object value = row.get(r.join().column());
            return value != null && value.equals(parentRow.get(r.join().parentColumn()));
        }
        Relationship.Junction j = r.junction();
        Object parentKey = parentRow.get(j.parentKey());
        Object key = row.get(j.key());
        return parentKey != null && key != null && warehouse.tables.get(tableName(j.table())).stream()
                .anyMatch(link -> parentKey.equals(link.get(j.parentColumn())) && key.equals(link.get(j.column())));
    }

    private long events(Condition c, Map<String, Object> p) {
        String table = graph.profile().eventTable(c.event());
        Map<String, String> idGraph = new HashMap<>();
        warehouse.tables.get("id_graph").forEach(r -> idGraph.put((String) r.get("segment_id"), (String) r.get("canonical_segment_id")));
        long n = 0;
        for (Map<String, Object> event : warehouse.tables.get(tableName(table))) {
            String segment = (String) event.get("segment_id");
            if (!Objects.equals(idGraph.getOrDefault(segment, segment), p.get("canonical_segment_id"))) {
                continue;
            }
            if (c.within() != null) {
                Instant ts = (Instant) event.get("timestamp");
                Instant from = warehouse.runStart.minus(ChronoUnit.valueOf(c.within().unit().toUpperCase()).getDuration().multipliedBy(c.within().amount()));
                if (ts == null || ts.isBefore(from) || ts.isAfter(warehouse.runStart)) {
                    continue;
                }
            }
            if (c.where() == null || combine(c.where().operator(), c.where().filters(),
                    f -> compare(event.get(f.property()), f.op(), f.value(), graph.columnType(table, f.property()).orElseThrow(), p, null))) {
                n++;
            }
        }
        return n;
    }

    /** Two-valued: any comparison with a NULL side is false; exists is IS NOT NULL. */
    private boolean compare(Object left, String op, Value value, DataType type, Map<String, Object> p, Scope scope) {
        if (op.equals("exists")) {
            return left != null;
        }
        if (op.equals("not_exists")) {
            return left == null;
        }
        Object right = value.trait() != null ? p.get(value.trait())
                : value.column() != null ? scope.find(value.column().relationship()).get(value.column().column())
                : constant(type, value.constant());
        if (left == null || right == null) {
            return false;
        }
        return switch (op) {
            case "equals" -> order(left, right) == 0;
            case "not_equals" -> order(left, right) != 0;
            case "less_than" -> order(left, right) < 0;
            case "greater_than" -> order(left, right) > 0;
            case "less_than_or_equal" -> order(left, right) <= 0;
            case "greater_than_or_equal" -> order(left, right) >= 0;
            case "contains" -> ((String) left).contains((String) right);
            case "not_contains" -> !((String) left).contains((String) right);
            case "starts_with" -> ((String) left).startsWith((String) right);
            case "ends_with" -> ((String) left).endsWith((String) right);
            default -> throw new IllegalArgumentException(op);
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int order(Object left, Object right) {
        if (left instanceof BigDecimal l) {
            return l.compareTo((BigDecimal) right);
        }
        if (left instanceof Boolean l) {
            return l.equals(right) ? 0 : 1;
        }
        return ((Comparable) left).compareTo(right);
    }

    private static Object constant(DataType type, Object constant) {
        return switch (type) {
            case NUMBER -> new BigDecimal(constant.toString());
            case TIMESTAMP -> OffsetDateTime.parse((String) constant).toInstant();
            default -> constant;
        };
    }

    private DataType traitType(String trait) {
        return graph.columnType(graph.profile().traitsTableOrDefault(), trait).orElseThrow();
    }

    private EntityType entityOf(String relationship) {
        return graph.entity(graph.relationship(relationship).orElseThrow().entity()).orElseThrow();
    }

    private static String tableName(String qualified) {
        return qualified.substring(qualified.indexOf('.') + 1);
    }
}
