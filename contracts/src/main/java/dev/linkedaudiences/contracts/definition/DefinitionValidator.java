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
import java.util.Set;
import java.util.function.Function;

/**
 * Checks a definition against the data graph and the other audiences ("Limits and validation" of
 * audience-model.md), collecting every problem with its JSON pointer relative to the request body. Part of the
 * contract: audience-service checks definitions before it saves them, compute-service before it previews them.
 */
public final class DefinitionValidator {
    private static final Set<String> LOGICAL = Set.of("and", "or");
    private static final Set<String> COUNT_OPS = Set.of("at_least", "exactly", "at_most");
    private static final Set<String> UNITS = Set.of("minutes", "hours", "days", "weeks");

    private final DataGraph graph;
    private final String ownKey;
    private final Map<String, AudienceDefinition> otherAudiences;
    private final List<FieldError> errors = new ArrayList<>();

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

        int depth() {
            return parent == null ? 2 : parent.depth() + 1;
        }
    }

    private DefinitionValidator(DataGraph graph, String ownKey, Map<String, AudienceDefinition> otherAudiences) {
        this.graph = graph;
        this.ownKey = ownKey;
        this.otherAudiences = otherAudiences;
    }

    /**
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

    /** The keys of the audiences a definition refers to, at any depth of its groups. */
    public static Set<String> referencedAudiences(AudienceDefinition definition) {
        Set<String> keys = new HashSet<>();
        if (definition != null && definition.groups() != null) {
            definition.groups().stream().filter(g -> g != null && g.conditions() != null)
                    .flatMap(g -> g.conditions().stream())
                    .filter(c -> c != null && Condition.AUDIENCE.equals(c.type()) && c.audience() != null)
                    .forEach(c -> keys.add(c.audience()));
        }
        return keys;
    }

    /**
     * The relationships whose rows a member's matched entities can hold: those of un-negated entity conditions
     * reached through un-negated parents (audience-model.md, "Matched entities").
     */
    public static Set<String> matchedRelationships(AudienceDefinition definition) {
        Set<String> slugs = new HashSet<>();
        Deque<Condition> todo = new ArrayDeque<>();
        definition.groups().forEach(g -> todo.addAll(g.conditions()));
        while (!todo.isEmpty()) {
            Condition c = todo.pop();
            if (Condition.ENTITY.equals(c.type()) && !c.negated()) {
                slugs.add(c.relationship());
                if (c.children() != null) {
                    todo.addAll(c.children().conditions());
                }
            }
        }
        return slugs;
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
                error(groupAt, "must be an object");
                continue;
            }
            logical(group.operator(), groupAt + "/operator");
            conditions(group.conditions(), groupAt + "/conditions", false);
        }
    }

    private void conditions(List<Condition> conditions, String at, boolean childrenOnly) {
        if (conditions == null || conditions.isEmpty()) {
            error(at, "at least one condition is required");
            return;
        }
        for (int i = 0; i < conditions.size(); i++) {
            Condition c = conditions.get(i);
            String here = at + "/" + i;
            if (c == null) {
                error(here, "must be an object");
            } else if (childrenOnly && !Condition.ENTITY.equals(c.type())) {
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
            default -> error(at + "/type", "type is one of entity, trait, event, audience");
        }
    }

    private void trait(Condition c, String at) {
        DataType type = traitType(c.trait());
        if (type == null) {
            error(at + "/trait", "unknown trait '" + c.trait() + "'");
            return;
        }
        comparison(type, c.op(), c.value(), at, false);
    }

    private void entity(Condition c, String at) {
        Relationship r = c.relationship() == null ? null : graph.relationship(c.relationship()).orElse(null);
        List<Relationship> allowed = scope == null ? graph.profile().relationshipsOrEmpty() : scope.relationship().relationshipsOrEmpty();
        if (r == null) {
            error(at + "/relationship", "unknown relationship '" + c.relationship() + "'");
            return;
        }
        if (allowed.stream().noneMatch(a -> a.slug().equals(r.slug()))) {
            error(at + "/relationship", scope == null
                    ? "'" + r.slug() + "' is not a relationship of the profile"
                    : "'" + r.slug() + "' is not a child of '" + scope.relationship().slug() + "'");
            return;
        }
        EntityType entity = graph.entity(r.entity()).orElseThrow();
        boolean admitsZero = count(c.count(), at + "/count");
        if (admitsZero && (c.where() != null || c.children() != null)) {
            error(at + "/count", "a count that admits zero rows takes neither where nor children");
        }
        DataGraphScope outer = scope;
        scope = new DataGraphScope(r, entity, outer);
        try {
            if (scope.depth() > 6) {
                error(at + "/relationship", "conditions nest at most 6 levels, counting the profile");
                return;
            }
            filters(c.where(), at + "/where", column -> graph.columnType(entity.table(), column).orElse(null), true);
            if (c.children() != null) {
                logical(c.children().operator(), at + "/children/operator");
                conditions(c.children().conditions(), at + "/children/conditions", true);
            }
        } finally {
            scope = outer;
        }
    }

    private void event(Condition c, String at) {
        if (c.event() == null || c.event().isBlank()) {
            error(at + "/event", "is required");
            return;
        }
        String table = graph.profile().eventTable(c.event());
        if (graph.catalog() == null || !graph.catalog().containsKey(table)) {
            error(at + "/event", "unknown event '" + c.event() + "' (no table " + table + ")");
            return;
        }
        count(c.count(), at + "/count");
        if (c.within() != null) {
            if (c.within().amount() <= 0) {
                error(at + "/within/amount", "must be a positive whole number");
            }
            if (!UNITS.contains(c.within().unit())) {
                error(at + "/within/unit", "unit is one of " + UNITS);
            }
        }
        DataGraphScope outer = scope;
        scope = null; // event filters may reference constants and traits only
        filters(c.where(), at + "/where", property -> graph.columnType(table, property).orElse(null), false);
        scope = outer;
    }

    private void audience(Condition c, String at) {
        if (c.audience() == null || !otherAudiences.containsKey(c.audience())) {
            error(at + "/audience", c.audience() != null && c.audience().equals(ownKey)
                    ? "an audience cannot reference itself" : "unknown audience '" + c.audience() + "'");
            return;
        }
        if (reaches(c.audience(), ownKey)) {
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

    /** Checks a count; answers whether it admits zero rows. */
    private boolean count(Condition.Count count, String at) {
        if (count == null) {
            return false;
        }
        if (!COUNT_OPS.contains(count.op())) {
            error(at + "/op", "count op is one of " + COUNT_OPS);
            return false;
        }
        long min = count.op().equals("at_least") ? 1 : 0;
        if (count.value() < min) {
            error(at + "/value", count.op() + " takes a value of at least " + min);
        }
        return count.value() == 0 && !count.op().equals("at_least");
    }

    private void filters(Condition.FilterGroup where, String at, Function<String, DataType> fieldType, boolean entityLevel) {
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
                error(here, "must be an object");
                continue;
            }
            String fieldName = entityLevel ? "column" : "property";
            String field = entityLevel ? f.column() : f.property();
            DataType type = field == null ? null : fieldType.apply(field);
            if (type == null) {
                error(here + "/" + fieldName, "unknown " + fieldName + " '" + field + "'");
                continue;
            }
            comparison(type, f.op(), f.value(), here, entityLevel);
        }
    }

    private void comparison(DataType type, String op, Value value, String at, boolean columnsAllowed) {
        if (op == null || !Operators.allowed(type, op)) {
            error(at + "/op", "operator '" + op + "' is not allowed for " + type);
            return;
        }
        if (Operators.PRESENCE.contains(op)) {
            return; // a value given with exists/not_exists is ignored
        }
        if (value == null) {
            error(at + "/value", "a value is required for '" + op + "'");
        } else if (value.trait() != null) {
            DataType traitType = traitType(value.trait());
            if (traitType == null) {
                error(at + "/value/trait", "unknown trait '" + value.trait() + "'");
            } else if (traitType != type) {
                error(at + "/value/trait", "trait '" + value.trait() + "' is " + traitType + ", the field is " + type);
            }
        } else if (value.column() != null) {
            columnReference(value.column(), type, at + "/value/column", columnsAllowed);
        } else if (value.constant() == null || !constantFits(type, value.constant())) {
            error(at + "/value", "expected a constant of type " + type);
        }
    }

    private void columnReference(Value.ColumnRef ref, DataType type, String at, boolean allowed) {
        DataGraphScope bound = scope == null || !allowed ? null : scope.find(ref.relationship());
        if (bound == null) {
            error(at + "/relationship", "a column reference names the filter's own entity or an ancestor on its branch");
            return;
        }
        DataType refType = graph.columnType(bound.entity().table(), ref.column()).orElse(null);
        if (refType == null) {
            error(at + "/column", "unknown column '" + ref.column() + "'");
        } else if (refType != type) {
            error(at + "/column", "column '" + ref.column() + "' is " + refType + ", the field is " + type);
        }
    }

    private DataType traitType(String trait) {
        return trait == null ? null : graph.columnType(graph.profile().traitsTableOrDefault(), trait)
                .filter(t -> !trait.equals("canonical_segment_id") && !trait.equals("merged_to")).orElse(null);
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

    private void logical(String operator, String at) {
        if (!LOGICAL.contains(operator)) {
            error(at, "operator is 'and' or 'or'");
        }
    }

    private void error(String pointer, String message) {
        errors.add(new FieldError(pointer, message));
    }
}
