package dev.linkedaudiences.compute.sql;

import dev.linkedaudiences.contracts.definition.AudienceDefinition;
import dev.linkedaudiences.contracts.definition.Condition;
import dev.linkedaudiences.contracts.definition.Value;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.graph.DataType;
import dev.linkedaudiences.contracts.graph.EntityType;
import dev.linkedaudiences.contracts.graph.ProfileBlock;
import dev.linkedaudiences.contracts.graph.Relationship;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Compiles an audience definition into one SQL query that selects the ids of its member profiles
 * (column {@code profile_id}), following the normative semantics of audience-model.md:
 * <ul>
 * <li>each condition is {@code COALESCE(expr, FALSE)} before {@code negate}, so a comparison with NULL is
 * false and {@code negate} is a plain NOT of a two-valued result;</li>
 * <li>entity conditions count {@code DISTINCT} primary keys, so junction duplicates count once;</li>
 * <li>{@code within} windows are bound as instants computed from the run start, not warehouse clock
 * functions, so every dialect reads them the same way.</li>
 * </ul>
 * A compiler instance compiles one query; it is not shared.
 */
public final class SqlCompiler {
    private static final String PROFILE = "p";
    private static final Map<String, String> COMPARISONS = Map.of("equals", "=", "not_equals", "<>", "less_than", "<",
            "greater_than", ">", "less_than_or_equal", "<=", "greater_than_or_equal", ">=");
    private static final Map<String, String> COUNTS = Map.of("at_least", ">=", "exactly", "=", "at_most", "<=");

    private final Dialect dialect;
    private final DataGraph graph;
    private final Instant runStart;
    private final Function<String, String> audienceIdByKey;
    private final String snapshotSchema;
    private final List<Object> parameters = new ArrayList<>();
    private int aliases;

    /** An entity level in scope: the alias its rows have, for its own filters and its descendants' references. */
    private record Scope(String relationship, String alias, EntityType entity, Scope parent) {
        Scope find(String slug) {
            for (Scope s = this; s != null; s = s.parent) {
                if (s.relationship.equals(slug)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("relationship '" + slug + "' is not in scope");
        }
    }

    /**
     * @param audienceIdByKey resolves an {@code audience} condition's key to the id its membership is stored under
     * @param snapshotSchema  the warehouse schema holding membership snapshots
     */
    public SqlCompiler(Dialect dialect, DataGraph graph, Instant runStart, Function<String, String> audienceIdByKey,
                       String snapshotSchema) {
        this.dialect = dialect;
        this.graph = graph;
        this.runStart = runStart;
        this.audienceIdByKey = audienceIdByKey;
        this.snapshotSchema = snapshotSchema;
    }

    /** {@code SELECT profile_id} of every non-merged profile the definition admits. */
    public CompiledQuery members(AudienceDefinition definition) {
        ProfileBlock profile = graph.profile();
        String where = definition.groups().stream().map(this::group)
                .collect(Collectors.joining(" " + logical(definition.operator()) + " ", "(", ")"));
        String sql = "SELECT " + PROFILE + "." + dialect.column("canonical_segment_id") + " AS profile_id FROM "
                + dialect.table(profile.traitsTableOrDefault()) + " " + PROFILE
                + " WHERE " + PROFILE + "." + dialect.column("merged_to") + " IS NULL AND " + where;
        return new CompiledQuery(sql, List.copyOf(parameters));
    }

    private String group(AudienceDefinition.ConditionGroup group) {
        return group.conditions().stream().map(c -> condition(c, null))
                .collect(Collectors.joining(" " + logical(group.operator()) + " ", "(", ")"));
    }

    private String condition(Condition c, Scope parent) {
        String expr = switch (c.type()) {
            case Condition.TRAIT -> comparison(traitColumn(c.trait()), c.op(), c.value(),
                    traitType(c.trait()), null);
            case Condition.ENTITY -> entity(c, parent);
            case Condition.EVENT -> event(c);
            case Condition.AUDIENCE -> audience(c);
            default -> throw new IllegalArgumentException("unknown condition type " + c.type());
        };
        String twoValued = "COALESCE((" + expr + "), FALSE)";
        return c.negated() ? "(NOT " + twoValued + ")" : twoValued;
    }

    private String entity(Condition c, Scope parent) {
        Scope scope = scope(c, parent);
        if (selfContained(c, subtreeSlugs(c, new java.util.HashSet<>()))) {
            return entitySet(c, scope);
        }
        String rows = rowsOf(c, scope);
        Condition.Count count = c.countOrDefault();
        parameters.add(count.value());
        return "(SELECT COUNT(DISTINCT " + col(scope.alias(), scope.entity().primaryKey()) + ") FROM "
                + dialect.table(scope.entity().table()) + " " + scope.alias() + " WHERE " + rows + ") " + COUNTS.get(count.op()) + " ?";
    }

    private Scope scope(Condition c, Scope parent) {
        Relationship r = graph.relationship(c.relationship()).orElseThrow();
        return new Scope(r.slug(), "e" + (++aliases), graph.entity(r.entity()).orElseThrow(), parent);
    }

    /**
     * An entity condition that references nothing outside its own subtree, decorrelated: the keys of the parents
     * with enough matching rows come from one grouped query, which engines without decorrelation (PostgreSQL)
     * hash once instead of counting per parent row. {@code exactly}/{@code at_most} become the negation of
     * "more than N", so a parent without any row (absent from the groups) counts as 0.
     */
    private String entitySet(Condition c, Scope scope) {
        Relationship r = graph.relationship(scope.relationship()).orElseThrow();
        String e = scope.alias();
        EntityType entity = scope.entity();
        String parentKey;
        String from = dialect.table(entity.table()) + " " + e;
        String link;
        Relationship.Join join = r.join();
        if (scope.parent() == null && join.trait() != null) {
            parentKey = col(PROFILE, join.trait());
            link = col(e, join.column());
        } else if (scope.parent() == null) {
            parentKey = col(PROFILE, "canonical_segment_id");
            parameters.add(join.externalId());
            from += " JOIN " + dialect.table(graph.profile().identifiersTableOrDefault()) + " ui ON ui." + dialect.column("value")
                    + " = " + col(e, join.column()) + " AND ui." + dialect.column("type") + " = ?";
            link = "ui." + dialect.column("canonical_segment_id");
        } else if (join != null) {
            parentKey = col(scope.parent().alias(), join.parentColumn());
            link = col(e, join.column());
        } else {
            Relationship.Junction j = r.junction();
            String ja = "j" + (++aliases);
            parentKey = col(scope.parent().alias(), j.parentKey());
            from += " JOIN " + dialect.table(j.table()) + " " + ja + " ON " + col(ja, j.column()) + " = " + col(e, j.key());
            link = col(ja, j.parentColumn());
        }
        List<String> predicates = new ArrayList<>();
        predicates.add(col(e, entity.primaryKey()) + " IS NOT NULL");
        predicates.addAll(filtersAndChildren(c, scope));
        return countedIn(parentKey, "SELECT " + link + " FROM " + from + " WHERE " + String.join(" AND ", predicates)
                + " GROUP BY " + link, "COUNT(DISTINCT " + col(e, entity.primaryKey()) + ")", c.countOrDefault());
    }

    /** {@code key} has a count in {@code grouped} (a query of keys, still without HAVING) that satisfies {@code count}. */
    private String countedIn(String key, String grouped, String counted, Condition.Count count) {
        return switch (count.op()) {
            case "at_least" -> count.value() <= 0 ? "1 = 1" : having(key, grouped, counted, ">=", count.value());
            case "exactly" -> count.value() <= 0 ? "NOT " + having(key, grouped, counted, ">", 0)
                    : having(key, grouped, counted, "=", count.value());
            case "at_most" -> "NOT " + having(key, grouped, counted, ">", count.value());
            default -> throw new IllegalArgumentException("unknown count op " + count.op());
        };
    }

    private String having(String key, String grouped, String counted, String op, long value) {
        parameters.add(value);
        return "COALESCE((" + key + " IN (" + grouped + " HAVING " + counted + " " + op + " ?)), FALSE)";
    }

    /** The relationships of an entity condition and all its descendants. */
    private static java.util.Set<String> subtreeSlugs(Condition c, java.util.Set<String> into) {
        into.add(c.relationship());
        if (c.children() != null) {
            c.children().conditions().forEach(child -> subtreeSlugs(child, into));
        }
        return into;
    }

    /** Whether no filter in the condition or below it compares with a trait or a column outside {@code own}. */
    private static boolean selfContained(Condition c, java.util.Set<String> own) {
        if (c.where() != null && c.where().filters().stream().map(Condition.Filter::value).anyMatch(v -> v != null
                && (v.trait() != null || (v.column() != null && !own.contains(v.column().relationship()))))) {
            return false;
        }
        return c.children() == null || c.children().conditions().stream().allMatch(child -> selfContained(child, own));
    }

    /** The predicate that makes a row of {@code scope} one of M: related to its parent, where and children hold. */
    private String rowsOf(Condition c, Scope scope) {
        String e = scope.alias();
        EntityType entity = scope.entity();
        List<String> predicates = new ArrayList<>();
        predicates.add(col(e, entity.primaryKey()) + " IS NOT NULL");
        predicates.add(join(graph.relationship(scope.relationship()).orElseThrow(), scope));
        predicates.addAll(filtersAndChildren(c, scope));
        return String.join(" AND ", predicates);
    }

    /** The where filters and the children of an entity condition, as predicates on its rows. */
    private List<String> filtersAndChildren(Condition c, Scope scope) {
        String e = scope.alias();
        EntityType entity = scope.entity();
        List<String> predicates = new ArrayList<>();
        if (c.where() != null) {
            predicates.add(c.where().filters().stream()
                    .map(f -> comparison(col(e, f.column()), f.op(), f.value(),
                            graph.columnType(entity.table(), f.column()).orElseThrow(), scope))
                    .map(x -> "COALESCE((" + x + "), FALSE)")
                    .collect(Collectors.joining(" " + logical(c.where().operator()) + " ", "(", ")")));
        }
        if (c.children() != null) {
            predicates.add(c.children().conditions().stream().map(child -> condition(child, scope))
                    .collect(Collectors.joining(" " + logical(c.children().operator()) + " ", "(", ")")));
        }
        return predicates;
    }

    /**
     * The matched entities of the members staged in {@code candidateTable} for {@code audienceId}
     * (audience-model.md, "Matched entities"): for every satisfied, un-negated entity condition of every
     * satisfied group, the rows of M, and below each row the rows matched by its satisfied, un-negated
     * children. Columns: profile_id, relationship, entity_key, parent_relationship, parent_key (keys as text;
     * parent columns NULL at the top level). One SELECT per path of nested conditions, merged by UNION.
     */
    public CompiledQuery matchedEntities(AudienceDefinition definition, String candidateTable, String audienceId) {
        List<String> selects = new ArrayList<>();
        for (AudienceDefinition.ConditionGroup group : definition.groups()) {
            for (Condition c : group.conditions()) {
                if (Condition.ENTITY.equals(c.type()) && !c.negated()) {
                    paths(List.of(c), group, candidateTable, audienceId, selects);
                }
            }
        }
        if (selects.isEmpty()) {
            return new CompiledQuery("SELECT " + String.join(", ", List.of("profile_id", "relationship", "entity_key",
                    "parent_relationship", "parent_key").stream().map(n -> dialect.asText("NULL") + " AS " + n).toList())
                    + " WHERE 1 = 0", List.of());
        }
        return new CompiledQuery(String.join(" UNION ", selects), List.copyOf(parameters));
    }

    private void paths(List<Condition> path, AudienceDefinition.ConditionGroup group, String candidateTable, String audienceId,
                       List<String> selects) {
        selects.add(matchedPath(path, group, candidateTable, audienceId));
        Condition last = path.get(path.size() - 1);
        if (last.children() != null) {
            for (Condition child : last.children().conditions()) {
                if (!child.negated()) {
                    List<Condition> longer = new ArrayList<>(path);
                    longer.add(child);
                    paths(longer, group, candidateTable, audienceId, selects);
                }
            }
        }
    }

    /** One path C1..Ck: the rows of Ck below rows of C(k-1) ..., for members whose group and path conditions hold. */
    private String matchedPath(List<Condition> path, AudienceDefinition.ConditionGroup group, String candidateTable, String audienceId) {
        int k = path.size();
        StringBuilder sql = new StringBuilder("SELECT ").append(PROFILE).append('.').append(dialect.column("canonical_segment_id"))
                .append(" AS profile_id, ? AS relationship, ");
        parameters.add(path.get(k - 1).relationship());
        List<Scope> scopes = new ArrayList<>();
        Scope parent = null;
        for (Condition c : path) {
            parent = scope(c, parent);
            scopes.add(parent);
        }
        Scope last = scopes.get(k - 1);
        sql.append(dialect.asText(col(last.alias(), last.entity().primaryKey()))).append(" AS entity_key, ");
        if (k == 1) {
            sql.append(dialect.asText("NULL")).append(" AS parent_relationship, ").append(dialect.asText("NULL")).append(" AS parent_key");
        } else {
            Scope above = scopes.get(k - 2);
            parameters.add(above.relationship());
            sql.append("? AS parent_relationship, ").append(dialect.asText(col(above.alias(), above.entity().primaryKey()))).append(" AS parent_key");
        }
        // the profile's group and first condition once per profile, in a derived table; each deeper condition
        // once per parent row, in its parent's join
        parameters.add(audienceId);
        sql.append(" FROM (SELECT ").append(PROFILE).append(".* FROM ").append(dialect.table(graph.profile().traitsTableOrDefault()))
                .append(' ').append(PROFILE).append(" WHERE EXISTS (SELECT 1 FROM ").append(dialect.table(candidateTable))
                .append(" cand WHERE cand.").append(dialect.column("audience_id")).append(" = ? AND cand.")
                .append(dialect.column("profile_id")).append(" = ").append(PROFILE).append('.').append(dialect.column("canonical_segment_id"))
                .append(") AND ").append(group(group)).append(" AND ").append(condition(path.get(0), null)).append(") ").append(PROFILE);
        for (int i = 0; i < k; i++) {
            Scope s = scopes.get(i);
            sql.append(" JOIN ").append(dialect.table(s.entity().table())).append(' ').append(s.alias())
                    .append(" ON ").append(rowsOf(path.get(i), s));
            if (i + 1 < k) {
                sql.append(" AND ").append(condition(path.get(i + 1), s));
            }
        }
        return sql.toString();
    }

    /** How the rows of {@code scope} relate to their parent (the profile at the top level). */
    private String join(Relationship r, Scope scope) {
        String e = scope.alias();
        Relationship.Join join = r.join();
        if (scope.parent() == null) {
            if (join.trait() != null) {
                return col(e, join.column()) + " = " + col(PROFILE, join.trait());
            }
            parameters.add(join.externalId());
            return col(e, join.column()) + " IN (SELECT ui." + dialect.column("value") + " FROM "
                    + dialect.table(graph.profile().identifiersTableOrDefault()) + " ui WHERE ui."
                    + dialect.column("canonical_segment_id") + " = " + col(PROFILE, "canonical_segment_id")
                    + " AND ui." + dialect.column("type") + " = ?)";
        }
        String parent = scope.parent().alias();
        if (join != null) {
            return col(e, join.column()) + " = " + col(parent, join.parentColumn());
        }
        Relationship.Junction j = r.junction();
        String ja = "j" + (++aliases);
        return col(e, j.key()) + " IN (SELECT " + col(ja, j.column()) + " FROM " + dialect.table(j.table()) + " " + ja
                + " WHERE " + col(ja, j.parentColumn()) + " = " + col(parent, j.parentKey()) + ")";
    }

    /**
     * An event condition. Events are attributed once, by one hop through id_graph (an event without an id_graph
     * row belongs to its own segment_id); when no filter compares with a trait, the counts come from one grouped
     * query over the attributed events, otherwise they are counted per profile.
     */
    private String event(Condition c) {
        ProfileBlock profile = graph.profile();
        String table = profile.eventTable(c.event());
        String ev = "v" + (++aliases);
        String segment = col(ev, "segment_id");
        String idGraph = profile.idGraphTableQualified();
        String from = dialect.table(table) + " " + ev;
        String attributed = segment;
        if (idGraph != null) {
            String ig = "ig" + aliases;
            from += " LEFT JOIN (SELECT " + dialect.column("segment_id") + ", MIN(" + dialect.column("canonical_segment_id") + ") AS "
                    + dialect.column("canonical_segment_id") + " FROM " + dialect.table(idGraph) + " GROUP BY " + dialect.column("segment_id")
                    + ") " + ig + " ON " + col(ig, "segment_id") + " = " + segment;
            attributed = "COALESCE(" + col(ig, "canonical_segment_id") + ", " + segment + ")";
        }
        boolean selfContained = c.where() == null || c.where().filters().stream().allMatch(f -> f.value() == null || f.value().trait() == null);
        List<String> predicates = new ArrayList<>();
        if (!selfContained) {
            predicates.add(attributed + " = " + col(PROFILE, "canonical_segment_id"));
        }
        if (c.within() != null) {
            ChronoUnit unit = switch (c.within().unit()) {
                case "minutes" -> ChronoUnit.MINUTES;
                case "hours" -> ChronoUnit.HOURS;
                case "days" -> ChronoUnit.DAYS;
                case "weeks" -> ChronoUnit.WEEKS;
                default -> throw new IllegalArgumentException("unknown unit " + c.within().unit());
            };
            OffsetDateTime end = runStart.atOffset(ZoneOffset.UTC);
            parameters.add(end.minus(unit.getDuration().multipliedBy(c.within().amount())));
            parameters.add(end);
            predicates.add(col(ev, "timestamp") + " >= ? AND " + col(ev, "timestamp") + " <= ?");
        }
        if (c.where() != null) {
            predicates.add(c.where().filters().stream()
                    .map(f -> comparison(col(ev, f.property()), f.op(), f.value(),
                            graph.columnType(table, f.property()).orElseThrow(), null))
                    .map(x -> "COALESCE((" + x + "), FALSE)")
                    .collect(Collectors.joining(" " + logical(c.where().operator()) + " ", "(", ")")));
        }
        String where = predicates.isEmpty() ? "" : " WHERE " + String.join(" AND ", predicates);
        Condition.Count count = c.countOrDefault();
        if (selfContained) {
            return countedIn(col(PROFILE, "canonical_segment_id"), "SELECT " + attributed + " FROM " + from + where
                    + " GROUP BY " + attributed, "COUNT(*)", count);
        }
        parameters.add(count.value());
        return "(SELECT COUNT(*) FROM " + from + where + ") " + COUNTS.get(count.op()) + " ?";
    }

    /** Membership of another audience as of its latest successful run: its snapshot. */
    private String audience(Condition c) {
        parameters.add(audienceIdByKey.apply(c.audience()));
        return "EXISTS (SELECT 1 FROM " + dialect.table(snapshotSchema + ".membership") + " m WHERE m."
                + dialect.column("audience_id") + " = ? AND m." + dialect.column("profile_id") + " = "
                + col(PROFILE, "canonical_segment_id") + ")";
    }

    private String comparison(String field, String op, Value value, DataType type, Scope scope) {
        switch (op) {
            case "exists":
                return field + " IS NOT NULL";
            case "not_exists":
                return field + " IS NULL";
            case "contains":
                return field + " LIKE " + likeValue(value, "%", "%", scope) + dialect.likeEscapeClause();
            case "not_contains":
                return field + " NOT LIKE " + likeValue(value, "%", "%", scope) + dialect.likeEscapeClause();
            case "starts_with":
                return field + " LIKE " + likeValue(value, "", "%", scope) + dialect.likeEscapeClause();
            case "ends_with":
                return field + " LIKE " + likeValue(value, "%", "", scope) + dialect.likeEscapeClause();
            default:
                return field + " " + COMPARISONS.get(op) + " " + operand(value, type, scope);
        }
    }

    /** A LIKE pattern: a constant is escaped in Java and bound; a dynamic value is escaped in SQL. */
    private String likeValue(Value value, String before, String after, Scope scope) {
        if (value.constant() != null) {
            parameters.add(before + dialect.escapeLike((String) value.constant()) + after);
            return "?";
        }
        String dynamic = value.trait() != null ? traitColumn(value.trait())
                : col(scope.find(value.column().relationship()).alias(), value.column().column());
        parameters.add(before);
        parameters.add(after);
        // || and not CONCAT: a NULL trait must make the pattern NULL (false), and some CONCATs skip NULLs
        return "(? || " + dialect.escapeLikeSql(dynamic) + " || ?)";
    }

    private String operand(Value value, DataType type, Scope scope) {
        if (value.trait() != null) {
            return traitColumn(value.trait());
        }
        if (value.column() != null) {
            return col(scope.find(value.column().relationship()).alias(), value.column().column());
        }
        parameters.add(bindable(type, value.constant()));
        return "?";
    }

    /** A JSON constant as the JDBC type of its data type. */
    static Object bindable(DataType type, Object constant) {
        return switch (type) {
            case NUMBER -> new BigDecimal(constant.toString());
            case DATE -> LocalDate.parse((String) constant);
            case TIME -> LocalTime.parse((String) constant);
            case TIMESTAMP -> OffsetDateTime.parse((String) constant);
            case BOOLEAN, STRING, OTHER -> constant;
        };
    }

    private String traitColumn(String trait) {
        return col(PROFILE, trait);
    }

    private DataType traitType(String trait) {
        return graph.columnType(graph.profile().traitsTableOrDefault(), trait).orElseThrow();
    }

    private String col(String alias, String column) {
        return alias + "." + dialect.column(column);
    }

    private static String logical(String operator) {
        return "or".equals(operator) ? "OR" : "AND";
    }
}
