package dev.linkedaudiences.contracts.definition;

import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.graph.DataType;
import dev.linkedaudiences.contracts.graph.EntityType;
import dev.linkedaudiences.contracts.graph.Relationship;
import dev.linkedaudiences.contracts.problem.FieldError;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks a definition against the data graph and the other audiences ("Limits and validation" of
 * audience-model.md), collecting every problem with its JSON pointer relative to the request body. Part of the
 * contract: audience-service checks definitions before it saves them, compute-service before it previews them.
 *
 * <p>Pointers name the member of the condition or filter at fault, as the spec's examples do: {@code .../op},
 * {@code .../value} (whatever is wrong inside the value), {@code .../count} (every count rule),
 * {@code .../relationship}, {@code .../within}. A problem that makes the rest of a condition uncheckable (an
 * unknown relationship, event or field) is reported once, without the problems that depend on it.
 */
public final class DefinitionValidator {
    // immutable collections throw on contains(null): ask them through isOneOf, a missing member is no crash
    private static final List<String> LOGICAL = List.of("and", "or");
    private static final List<String> COUNT_OPS = List.of("at_least", "exactly", "at_most");
    private static final List<String> UNITS = List.of("minutes", "hours", "days", "weeks");
    private static final Map<String, Long> MINUTES_PER_UNIT = Map.of("minutes", 1L, "hours", 60L, "days", 1_440L, "weeks", 10_080L);
    /** The longest event window: ten years, far beyond any event retention, and far from an interval's overflow. */
    private static final long MAX_WITHIN_MINUTES = 3_650L * 1_440L;
    private static final List<String> TYPES = List.of(Condition.ENTITY, Condition.TRAIT, Condition.EVENT, Condition.AUDIENCE);
    /** Profile columns of the traits table that are not traits. */
    private static final List<String> NOT_TRAITS = List.of("canonical_segment_id", "merged_to");

    private final DataGraph graph;
    private final String ownKey;
    private final Map<String, AudienceDefinition> otherAudiences;
    private final List<FieldError> errors = new ArrayList<>();

    /** The entity level being checked, for dynamic column references; null outside entity conditions. */
    private DataGraphScope scope;

    /** One entity level in scope for dynamic column references: relationship slug -> entity. */
    private record DataGraphScope(Relationship relationship, EntityType entity, DataGraphScope parent) {
        DataGraphScope find(String slug) {
            for (DataGraphScope s = this; s != null; s = s.parent) {
                if (s.relationship.slug().equals(slug)) {
                    return s;
                }
            }
            return null;
        }

        /** The level in the data graph, the profile being level 1. */
        int level() {
            return parent == null ? 2 : parent.level() + 1;
        }
    }

    private DefinitionValidator(DataGraph graph, String ownKey, Map<String, AudienceDefinition> otherAudiences) {
        this.graph = graph;
        this.ownKey = ownKey;
        this.otherAudiences = otherAudiences;
    }

    /**
     * @param ownKey         the key of the audience being saved (null for a preview), to reject self-references and cycles
     * @param otherAudiences every other audience by key, to resolve {@code audience} conditions and find cycles
     */
    public static List<FieldError> validate(AudienceDefinition definition, String pointer, DataGraph graph, String ownKey,
                                            Map<String, AudienceDefinition> otherAudiences) {
        DefinitionValidator v = new DefinitionValidator(graph, ownKey, otherAudiences);
        if (definition == null) {
            v.error(pointer, "a definition is required");
        } else {
            v.definition(definition, pointer);
        }
        return v.errors;
    }

    /** The keys of the audiences a definition refers to (audience conditions stand in groups only). */
    public static Set<String> referencedAudiences(AudienceDefinition definition) {
        Set<String> keys = new HashSet<>();
        groupConditions(definition)
                .filter(c -> Condition.AUDIENCE.equals(c.type()) && c.audience() != null)
                .forEach(c -> keys.add(c.audience()));
        return keys;
    }

    /**
     * The relationships whose rows a member's matched entities can hold: those of un-negated entity conditions
     * reached through un-negated parents (audience-model.md, "Matched entities"). Safe on invalid definitions.
     */
    public static Set<String> matchedRelationships(AudienceDefinition definition) {
        Set<String> slugs = new HashSet<>();
        Deque<Condition> todo = new ArrayDeque<>();
        groupConditions(definition).forEach(todo::add);
        while (!todo.isEmpty()) {
            Condition c = todo.pop();
            if (Condition.ENTITY.equals(c.type()) && !c.negated() && c.relationship() != null) {
                slugs.add(c.relationship());
                if (c.children() != null && c.children().conditions() != null) {
                    c.children().conditions().stream().filter(Objects::nonNull).forEach(todo::add);
                }
            }
        }
        return slugs;
    }

    /** The conditions of every group, skipping what is missing. */
    private static Stream<Condition> groupConditions(AudienceDefinition definition) {
        if (definition == null || definition.groups() == null) {
            return Stream.empty();
        }
        return definition.groups().stream().filter(g -> g != null && g.conditions() != null)
                .flatMap(g -> g.conditions().stream()).filter(Objects::nonNull);
    }

    private void definition(AudienceDefinition d, String at) {
        logical(d.operator(), at + "/operator");
        if (d.groups() == null || d.groups().isEmpty()) {
            error(at + "/groups", "at least one group is required");
            return;
        }
        for (int g = 0; g < d.groups().size(); g++) {
            String groupAt = at + "/groups/" + g;
            AudienceDefinition.ConditionGroup group = d.groups().get(g);
            if (group == null) {
                error(groupAt, "a group is an object");
                continue;
            }
            logical(group.operator(), groupAt + "/operator");
            conditions(group.conditions(), groupAt + "/conditions");
        }
    }

    /** A group's conditions (scope null) or an entity condition's children (scope = the parent's level). */
    private void conditions(List<Condition> conditions, String at) {
        if (conditions == null || conditions.isEmpty()) {
            error(at, "at least one condition is required");
            return;
        }
        for (int i = 0; i < conditions.size(); i++) {
            Condition c = conditions.get(i);
            String here = at + "/" + i;
            if (c == null) {
                error(here, "a condition is an object");
            } else if (scope != null && !Condition.ENTITY.equals(c.type())) {
                error(here + "/type", "children hold entity conditions only");
            } else {
                condition(c, here);
            }
        }
    }

    private void condition(Condition c, String at) {
        switch (c.type() == null ? "" : c.type()) {
            case Condition.TRAIT -> trait(c, at);
            case Condition.ENTITY -> entity(c, at);
            case Condition.EVENT -> event(c, at);
            case Condition.AUDIENCE -> audience(c, at);
            default -> error(at + "/type", "type is one of " + TYPES);
        }
    }

    private void trait(Condition c, String at) {
        DataType type = filterableType(traitType(c.trait()), "trait", c.trait(), at + "/trait");
        comparison(type, c.op(), c.value(), at);
    }

    private void entity(Condition c, String at) {
        Relationship r = relationship(c.relationship(), at + "/relationship");
        boolean countOfZero = count(c.count(), at + "/count");
        if (countOfZero && (c.where() != null || c.children() != null)) {
            error(at + "/count", "an entity condition with a count of 0 takes neither where nor children");
        }
        if (r == null) {
            return;
        }
        DataGraphScope outer = scope;
        scope = new DataGraphScope(r, graph.entity(r.entity()).orElseThrow(), outer);
        try {
            if (scope.level() > DataGraph.MAX_DEPTH) {
                error(at + "/relationship", "conditions nest at most " + DataGraph.MAX_DEPTH + " levels, counting the profile");
                return;
            }
            filters(c.where(), at + "/where", scope.entity().table(), "column");
            if (c.children() != null) {
                logical(c.children().operator(), at + "/children/operator");
                conditions(c.children().conditions(), at + "/children/conditions");
            }
        } finally {
            scope = outer;
        }
    }

    /** The relationship an entity condition follows: one of the profile's at the top, else a child of its parent's. */
    private Relationship relationship(String slug, String at) {
        Relationship r = slug == null ? null : graph.relationship(slug).orElse(null);
        if (r == null) {
            error(at, slug == null ? "a relationship is required" : "unknown relationship '" + slug + "'");
            return null;
        }
        List<Relationship> allowed = scope == null ? graph.profile().relationshipsOrEmpty() : scope.relationship().relationshipsOrEmpty();
        if (allowed.stream().noneMatch(a -> a.slug().equals(slug))) {
            error(at, scope == null
                    ? "'" + slug + "' is not a relationship of the profile"
                    : "'" + slug + "' is not a child of '" + scope.relationship().slug() + "'");
            return null;
        }
        return r;
    }

    private void event(Condition c, String at) {
        String table = eventTable(c.event(), at + "/event");
        count(c.count(), at + "/count"); // with 0 an event condition keeps where and within (spec, "Precise rules")
        within(c.within(), at + "/within");
        if (table != null) {
            filters(c.where(), at + "/where", table, "property");
        }
    }

    /** The event's table, or null (reported) when the warehouse has none. */
    private String eventTable(String event, String at) {
        if (event == null || event.isBlank()) {
            error(at, "an event is required");
            return null;
        }
        String table = graph.profile().eventTable(event);
        if (graph.catalog() == null || !graph.catalog().containsKey(table)) {
            error(at, "unknown event '" + event + "' (no table " + table + ")");
            return null;
        }
        return table;
    }

    private void within(Condition.Within within, String at) {
        if (within == null) {
            return;
        }
        if (!isOneOf(UNITS, within.unit())) {
            error(at, "unit is one of " + UNITS);
        }
        if (within.amount() == null || within.amount() <= 0) {
            error(at, "amount is a whole number above 0");
        } else if (isOneOf(UNITS, within.unit()) && within.amount() * MINUTES_PER_UNIT.get(within.unit()) > MAX_WITHIN_MINUTES) {
            error(at, "the window is at most 3650 days (" + MAX_WITHIN_MINUTES / MINUTES_PER_UNIT.get(within.unit()) + " "
                    + within.unit() + ")");
        }
    }

    private void audience(Condition c, String at) {
        if (c.audience() == null) {
            error(at + "/audience", "an audience key is required");
        } else if (c.audience().equals(ownKey)) {
            error(at + "/audience", "an audience cannot reference itself");
        } else if (!otherAudiences.containsKey(c.audience())) {
            error(at + "/audience", "unknown audience '" + c.audience() + "'");
        } else if (ownKey != null && reaches(c.audience(), ownKey)) {
            error(at + "/audience", "referencing '" + c.audience() + "' makes a cycle back to '" + ownKey + "'");
        }
    }

    /** Whether following audience references from {@code from} leads to {@code target}. */
    private boolean reaches(String from, String target) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(from));
        while (!todo.isEmpty()) {
            String key = todo.pop();
            if (key.equals(target)) {
                return true;
            }
            if (seen.add(key) && otherAudiences.containsKey(key)) {
                todo.addAll(referencedAudiences(otherAudiences.get(key)));
            }
        }
        return false;
    }

    /** Checks a count (a missing one is at_least 1); answers whether it is a valid count of 0. */
    private boolean count(Condition.Count count, String at) {
        if (count == null) {
            return false;
        }
        boolean known = isOneOf(COUNT_OPS, count.op());
        if (!known) {
            error(at, "count op is one of " + COUNT_OPS);
        }
        if (count.value() == null) {
            error(at, "a count value is required");
            return false;
        }
        long min = "at_least".equals(count.op()) ? 1 : 0;
        if (count.value() < min) {
            error(at, (known ? count.op() : "a count") + " takes a value of at least " + min);
            return false;
        }
        return known && count.value() == 0;
    }

    /** An entity's {@code where} ({@code column} filters) or an event's ({@code property} filters). */
    private void filters(Condition.FilterGroup where, String at, String table, String fieldName) {
        if (where == null) {
            return;
        }
        logical(where.operator(), at + "/operator");
        if (where.filters() == null || where.filters().isEmpty()) {
            error(at + "/filters", "at least one filter is required");
            return;
        }
        for (int i = 0; i < where.filters().size(); i++) {
            Condition.Filter f = where.filters().get(i);
            String here = at + "/filters/" + i;
            if (f == null) {
                error(here, "a filter is an object");
                continue;
            }
            String field = fieldName.equals("column") ? f.column() : f.property();
            DataType type = filterableType(graph.columnType(table, field).orElse(null), fieldName, field, here + "/" + fieldName);
            comparison(type, f.op(), f.value(), here);
        }
    }

    /** The field's type when it can be filtered on; else reports it at {@code at} and answers null. */
    private DataType filterableType(DataType type, String fieldName, String field, String at) {
        if (field == null) {
            error(at, "a " + fieldName + " is required");
        } else if (type == null) {
            error(at, "unknown " + fieldName + " '" + field + "'");
        } else if (type == DataType.OTHER) {
            error(at, fieldName + " '" + field + "' has a type that cannot be filtered on");
        } else {
            return type;
        }
        return null;
    }

    /**
     * Checks an operator and its value against the field's data type. With an unknown type (already reported)
     * it checks only what does not depend on the type, so independent problems are still listed.
     */
    private void comparison(DataType type, String op, Value value, String at) {
        if (op == null) {
            error(at + "/op", "an op is required");
        } else if (!Operators.known(op)) {
            error(at + "/op", "unknown operator '" + op + "'");
        } else if (type != null && !Operators.allowed(type, op)) {
            error(at + "/op", "operator '" + op + "' is not allowed for " + type);
        }
        if (op != null && Operators.PRESENCE.contains(op)) {
            return; // a value given with exists/not_exists is ignored
        }
        if (value == null || value.kinds() == 0) {
            if (op != null) {
                error(at + "/value", "'" + op + "' takes a value: {const}, {trait} or {column}");
            }
        } else if (value.kinds() > 1) {
            error(at + "/value", "a value is exactly one of {const}, {trait} and {column}");
        } else if (value.trait() != null) {
            DataType traitType = traitType(value.trait());
            if (traitType == null) {
                error(at + "/value", "unknown trait '" + value.trait() + "'");
            } else if (type != null && traitType != type) {
                error(at + "/value", "trait '" + value.trait() + "' is " + traitType + ", the field is " + type);
            }
        } else if (value.column() != null) {
            columnReference(value.column(), type, at + "/value");
        } else if (type != null && !constantFits(type, value.constant())) {
            error(at + "/value", "expected a constant of type " + type + constantHint(type));
        }
    }

    private void columnReference(Value.ColumnRef ref, DataType type, String at) {
        if (scope == null) {
            error(at, "column references are for entity filters only");
            return;
        }
        if (ref.relationship() == null || ref.column() == null) {
            error(at, "a column reference is {\"relationship\": R, \"column\": C}");
            return;
        }
        DataGraphScope bound = scope.find(ref.relationship());
        if (bound == null) {
            error(at, "a column reference names the filter's own relationship or an ancestor on its branch, not '"
                    + ref.relationship() + "'");
            return;
        }
        DataType refType = graph.columnType(bound.entity().table(), ref.column()).orElse(null);
        if (refType == null) {
            error(at, "unknown column '" + ref.column() + "' of '" + ref.relationship() + "'");
        } else if (type != null && refType != type) {
            error(at, "column '" + ref.column() + "' is " + refType + ", the field is " + type);
        }
    }

    private DataType traitType(String trait) {
        return trait == null || isOneOf(NOT_TRAITS, trait) ? null
                : graph.columnType(graph.profile().traitsTableOrDefault(), trait).orElse(null);
    }

    static boolean constantFits(DataType type, Object constant) {
        try {
            return switch (type) {
                case NUMBER -> constant instanceof Number;
                case STRING -> constant instanceof String;
                case BOOLEAN -> constant instanceof Boolean;
                case DATE -> constant instanceof String s && LocalDate.parse(s) != null;
                case TIME -> constant instanceof String s && LocalTime.parse(s) != null;
                case TIMESTAMP -> constant instanceof String s && OffsetDateTime.parse(s) != null;
                case OTHER -> false;
            };
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static String constantHint(DataType type) {
        return switch (type) {
            case NUMBER -> " (a JSON number)";
            case DATE -> " (an ISO-8601 date, 2026-01-31)";
            case TIME -> " (an ISO-8601 time, 08:30:00)";
            case TIMESTAMP -> " (an ISO-8601 timestamp with an offset, 2026-01-31T08:30:00Z)";
            default -> "";
        };
    }

    private void logical(String operator, String at) {
        if (!isOneOf(LOGICAL, operator)) {
            error(at, "operator is 'and' or 'or'");
        }
    }

    private static boolean isOneOf(List<String> allowed, String value) {
        return value != null && allowed.contains(value);
    }

    private void error(String pointer, String message) {
        errors.add(new FieldError(pointer, message));
    }
}
