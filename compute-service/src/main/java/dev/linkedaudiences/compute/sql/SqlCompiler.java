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

    /**
     * A level in scope and the alias its rows have, for its own filters and its descendants' references: an
     * entity level, or at the root the profile (relationship and entity null).
     */
    private record Scope(String relationship, String alias, EntityType entity, Scope parent) {
        static Scope profile(String alias) {
            return new Scope(null, alias, null, null);
        }

        boolean isProfile() {
            return relationship == null;
        }

        Scope root() {
            Scope s = this;
            while (s.parent != null) {
                s = s.parent;
            }
            return s;
        }

        Scope find(String slug) {
            for (Scope s = this; s != null; s = s.parent) {
                if (slug.equals(s.relationship)) {
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
        Scope root = Scope.profile(PROFILE);
        String sql = query("SELECT " + key(root) + " AS profile_id FROM " + dialect.table(graph.profile().traitsTableOrDefault()) + " " + PROFILE,
                joins -> PROFILE + "." + dialect.column("merged_to") + " IS NULL AND " + definition.groups().stream()
                        .map(g -> group(g, root, joins, conjunctive(definition.operator(), definition.groups().size())))
                        .collect(Collectors.joining(" " + logical(definition.operator()) + " ", "(", ")")),
                "");
        return new CompiledQuery(sql, List.copyOf(parameters));
    }

    /** A LEFT JOIN a condition added to the FROM of the level it is evaluated on, with its own parameters. */
    private record Join(String sql, List<Object> parameters) {
    }

    /**
     * {@code head}, then the LEFT JOINs the conditions of {@code where} add to this level, then
     * {@code WHERE where} and {@code tail}. Parameters are appended in the order their markers appear in the text;
     * the caller has already appended those of {@code head}.
     */
    private String query(String head, Function<List<Join>, String> where, String tail) {
        int mark = parameters.size();
        List<Join> joins = new ArrayList<>();
        String predicate = where.apply(joins);
        List<Object> whereParameters = cut(mark);
        StringBuilder sql = new StringBuilder(head);
        for (Join join : joins) {
            sql.append(' ').append(join.sql());
            parameters.addAll(join.parameters());
        }
        parameters.addAll(whereParameters);
        return sql.append(" WHERE ").append(predicate).append(tail).toString();
    }

    /** Removes and answers the parameters appended since {@code mark}. */
    private List<Object> cut(int mark) {
        List<Object> tail = parameters.subList(mark, parameters.size());
        List<Object> cut = new ArrayList<>(tail);
        tail.clear();
        return cut;
    }

    /**
     * @param positive whether only ANDs lead from this group to its query's WHERE: NULL and FALSE then both
     *                 reject the row, and conditions can take the forms engines turn into semi-joins
     */
    private String group(AudienceDefinition.ConditionGroup group, Scope root, List<Join> joins, boolean positive) {
        boolean conditionsPositive = positive && conjunctive(group.operator(), group.conditions().size());
        return group.conditions().stream().map(c -> condition(c, root, joins, conditionsPositive))
                .collect(Collectors.joining(" " + logical(group.operator()) + " ", "(", ")"));
    }

    /** Whether members joined by {@code operator} all have to hold (AND, or only one member). */
    private static boolean conjunctive(String operator, int members) {
        return members == 1 || !"or".equals(operator);
    }

    /**
     * A condition as a two-valued predicate on the rows of its level ({@code parent}: the profile at the top);
     * conditions that count rows may add a LEFT JOIN to {@code joins}. In a {@code positive} place an un-negated condition needs no COALESCE (NULL rejects the row as
     * FALSE does), and an entity or event count becomes {@code key IN (...)}, which engines run as a semi-join.
     */
    private String condition(Condition c, Scope parent, List<Join> joins, boolean positive) {
        boolean semiJoin = positive && !c.negated();
        String expr = switch (c.type()) {
            case Condition.TRAIT -> comparison(traitColumn(parent, c.trait()), c.op(), c.value(),
                    traitType(c.trait()), parent);
            case Condition.ENTITY -> entity(c, parent, joins, semiJoin);
            case Condition.EVENT -> event(c, parent, joins, semiJoin);
            case Condition.AUDIENCE -> audience(c, parent, joins, semiJoin);
            default -> throw new IllegalArgumentException("unknown condition type " + c.type());
        };
        if (semiJoin) {
            return "(" + expr + ")";
        }
        String twoValued = "COALESCE((" + expr + "), FALSE)";
        return c.negated() ? "(NOT " + twoValued + ")" : twoValued;
    }

    private String entity(Condition c, Scope parent, List<Join> joins, boolean semiJoin) {
        Scope reach = reach(c, parent);
        return reach == null ? entitySet(c, scope(c, parent), joins, semiJoin) : entityInContext(c, parent, reach, joins, semiJoin);
    }

    private Scope scope(Condition c, Scope parent) {
        Relationship r = graph.relationship(c.relationship()).orElseThrow();
        return new Scope(r.slug(), "e" + (++aliases), graph.entity(r.entity()).orElseThrow(), parent);
    }

    /**
     * An entity condition that references nothing outside its own subtree, decorrelated: one grouped query gives
     * each parent key's count of matching rows, LEFT JOINed to the parent level, so every engine joins it once
     * (hash or merge) instead of counting per parent row.
     */
    private String entitySet(Condition c, Scope scope, List<Join> joins, boolean semiJoin) {
        int mark = parameters.size();
        Hop hop = hop(scope);
        Condition.Count count = c.countOrDefault();
        // rows count once per distinct primary key, which only a hop that can repeat a row needs to ask for
        String select = presenceOnly(count) || !hop.repeatsRows() ? "SELECT " + hop.rowSide() + " AS k0"
                : "SELECT DISTINCT " + hop.rowSide() + " AS k0, " + key(scope) + " AS id";
        String rows = query(select + " FROM " + hop.from(), levelJoins -> {
            List<String> predicates = new ArrayList<>(List.of(keyPresent(scope)));
            predicates.addAll(filtersAndChildren(c, scope, levelJoins));
            return String.join(" AND ", predicates);
        }, "");
        return counted(List.of(hop.parentSide()), rows, count, mark, joins, semiJoin);
    }

    /**
     * An entity condition that compares, in its subtree, with a trait or a column of a level above it, counted for
     * every row of its context at once: the levels from the highest one it references ({@code reach}) down to its
     * parent are joined again under fresh aliases, with its own rows below, and the rows are grouped by the keys of
     * those levels, which the parent level then joins on. Set-based like {@link #entitySet}, and an engine
     * without indexes runs it as hash joins; a count per parent row would read the rows again for every parent.
     */
    private String entityInContext(Condition c, Scope parent, Scope reach, List<Join> joins, boolean semiJoin) {
        int mark = parameters.size();
        List<Scope> context = new ArrayList<>();
        for (Scope s = parent; s != reach.parent(); s = s.parent()) {
            context.add(0, s);
        }
        StringBuilder from = new StringBuilder();
        List<String> keys = new ArrayList<>();
        List<String> contextKeys = new ArrayList<>();
        List<String> predicates = new ArrayList<>();
        Scope copy = null;
        for (Scope level : context) {
            if (copy == null) {
                copy = level.isProfile() ? Scope.profile("p" + (++aliases)) : new Scope(level.relationship(), "e" + (++aliases), level.entity(), null);
                from.append(dialect.table(level.isProfile() ? graph.profile().traitsTableOrDefault() : level.entity().table())).append(' ').append(copy.alias());
                if (copy.isProfile()) {
                    predicates.add(col(copy.alias(), "merged_to") + " IS NULL");
                }
            } else {
                copy = new Scope(level.relationship(), "e" + (++aliases), level.entity(), copy);
                from.append(pathJoin(copy));
            }
            keys.add(key(copy) + " AS k" + keys.size());
            contextKeys.add(key(level));
        }
        Scope scope = scope(c, copy);
        from.append(pathJoin(scope));
        Condition.Count count = c.countOrDefault();
        // distinct per context and primary key: junctions and identifiers on the way down can repeat a row
        String select = presenceOnly(count) ? "SELECT " + String.join(", ", keys)
                : "SELECT DISTINCT " + String.join(", ", keys) + ", " + key(scope) + " AS id";
        String rows = query(select + " FROM " + from, levelJoins -> {
            predicates.add(keyPresent(scope));
            predicates.addAll(filtersAndChildren(c, scope, levelJoins));
            return String.join(" AND ", predicates);
        }, "");
        return counted(contextKeys, rows, count, mark, joins, semiJoin);
    }

    /**
     * The highest level above {@code c} that {@code c} or a condition below it compares with (the profile for a
     * trait), or null when it compares only with levels of its own subtree.
     */
    private static Scope reach(Condition c, Scope parent) {
        java.util.Set<String> own = subtreeSlugs(c, new java.util.HashSet<>());
        java.util.Set<String> referenced = new java.util.HashSet<>();
        if (referencesOutside(c, own, referenced)) {
            return parent.root();
        }
        Scope reach = null;
        for (Scope s = parent; s != null; s = s.parent()) {
            if (!s.isProfile() && referenced.contains(s.relationship())) {
                reach = s;
            }
        }
        return reach;
    }

    /**
     * Collects into {@code referenced} the relationships outside {@code own} that filters in or below {@code c}
     * compare with; answers whether one of them compares with a trait.
     */
    private static boolean referencesOutside(Condition c, java.util.Set<String> own, java.util.Set<String> referenced) {
        boolean trait = false;
        if (c.where() != null) {
            for (Condition.Filter f : c.where().filters()) {
                Value v = f.value();
                if (v != null && v.trait() != null) {
                    trait = true;
                } else if (v != null && v.column() != null && !own.contains(v.column().relationship())) {
                    referenced.add(v.column().relationship());
                }
            }
        }
        if (c.children() != null) {
            for (Condition child : c.children().conditions()) {
                trait |= referencesOutside(child, own, referenced);
            }
        }
        return trait;
    }

    /** The key that identifies a row of the level: the profile id, or the entity's primary key. */
    private String key(Scope scope) {
        return scope.isProfile() ? col(scope.alias(), "canonical_segment_id") : col(scope.alias(), scope.entity().primaryKey());
    }

    /** Whether the count only asks if there is any row ({@code at_least 0|1}, {@code at_most 0}, {@code exactly 0}). */
    private static boolean presenceOnly(Condition.Count count) {
        return count.op().equals("at_least") ? count.value() <= 1 : count.value() == 0;
    }

    /**
     * The predicate "the row with {@code keys} has a number of rows in {@code rows} (columns k0, k1, ... matching
     * the keys; its parameters start at {@code mark}) that satisfies {@code count}". Where a semi-join may stand,
     * one key is compared and the count needs rows ({@code at_least}/{@code exactly} N >= 1): {@code key IN (...)}.
     * Otherwise the counts per key are LEFT JOINed to the level and a key without rows counts 0; where only
     * presence matters, a present key counts 1.
     */
    private String counted(List<String> keys, String rows, Condition.Count count, int mark, List<Join> joins, boolean semiJoin) {
        if (semiJoin && keys.size() == 1 && count.value() >= 1 && !count.op().equals("at_most")) {
            if (presenceOnly(count)) {
                return keys.get(0) + " IN (" + rows + ")";
            }
            parameters.add(count.value());
            return keys.get(0) + " IN (SELECT d.k0 FROM (" + rows + ") d GROUP BY d.k0 HAVING COUNT(*) " + COUNTS.get(count.op()) + " ?)";
        }
        String alias = "c" + (++aliases);
        List<String> columns = new ArrayList<>();
        List<String> on = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            columns.add("d.k" + i);
            on.add(alias + ".k" + i + " = " + keys.get(i));
        }
        String grouped = "SELECT " + String.join(", ", columns) + ", " + (presenceOnly(count) ? "1" : "COUNT(*)") + " AS n FROM (" + rows
                + ") d GROUP BY " + String.join(", ", columns);
        joins.add(new Join("LEFT JOIN (" + grouped + ") " + alias + " ON " + String.join(" AND ", on), cut(mark)));
        parameters.add(count.value());
        return "COALESCE(" + alias + ".n, 0) " + COUNTS.get(count.op()) + " ?";
    }

    /** The relationships of an entity condition and all its descendants. */
    private static java.util.Set<String> subtreeSlugs(Condition c, java.util.Set<String> into) {
        into.add(c.relationship());
        if (c.children() != null) {
            c.children().conditions().forEach(child -> subtreeSlugs(child, into));
        }
        return into;
    }

    /** Rows without a primary key are no entity (audience-model.md). */
    private String keyPresent(Scope scope) {
        return key(scope) + " IS NOT NULL";
    }

    /** The where filters and the children of an entity condition, as predicates on its rows. */
    private List<String> filtersAndChildren(Condition c, Scope scope, List<Join> joins) {
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
            boolean positive = conjunctive(c.children().operator(), c.children().conditions().size());
            predicates.add(c.children().conditions().stream().map(child -> condition(child, scope, joins, positive))
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
                    // when every group and every condition must hold, membership already says they do
                    boolean implied = conjunctive(definition.operator(), definition.groups().size())
                            && conjunctive(group.operator(), group.conditions().size());
                    paths(List.of(c), implied ? null : group, candidateTable, audienceId, selects);
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

    /**
     * One path C1..Ck: the rows of Ck below rows of C(k-1) ..., for members whose group and path conditions hold
     * ({@code group} null: every member's do).
     */
    private String matchedPath(List<Condition> path, AudienceDefinition.ConditionGroup group, String candidateTable, String audienceId) {
        int k = path.size();
        StringBuilder sql = new StringBuilder("SELECT ").append(PROFILE).append('.').append(dialect.column("canonical_segment_id"))
                .append(" AS profile_id, ? AS relationship, ");
        parameters.add(path.get(k - 1).relationship());
        List<Scope> scopes = new ArrayList<>();
        Scope root = Scope.profile(PROFILE);
        Scope parent = root;
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
        // the profile's group and first condition once per profile, in a derived table; then the path's rows
        sql.append(" FROM (").append(query("SELECT " + PROFILE + ".* FROM " + dialect.table(graph.profile().traitsTableOrDefault()) + " " + PROFILE,
                joins -> {
                    parameters.add(audienceId);
                    return "EXISTS (SELECT 1 FROM " + dialect.table(candidateTable) + " cand WHERE cand." + dialect.column("audience_id")
                            + " = ? AND cand." + dialect.column("profile_id") + " = " + PROFILE + "." + dialect.column("canonical_segment_id")
                            + ")" + (group == null ? "" : " AND " + group(group, root, joins, true) + " AND " + condition(path.get(0), root, joins, true));
                }, "")).append(") ").append(PROFILE);
        for (Scope s : scopes) {
            sql.append(pathJoin(s));
        }
        return query(sql.toString(), joins -> {
            List<String> predicates = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                predicates.add(keyPresent(scopes.get(i)));
                predicates.addAll(filtersAndChildren(path.get(i), scopes.get(i), joins));
                Condition.Children children = path.get(i).children();
                if (i + 1 < k && !conjunctive(children.operator(), children.conditions().size())) {
                    // among OR-ed children, the next one on the path must hold itself (AND-ed ones all hold already)
                    predicates.add(condition(path.get(i + 1), scopes.get(i), joins, true));
                }
            }
            return String.join(" AND ", predicates);
        }, "");
    }

    /** The rows of {@code scope} joined to the path's parent level. */
    private String pathJoin(Scope scope) {
        Hop hop = hop(scope);
        String rows = hop.through() == null ? hop.from() : "(" + hop.from() + ")"; // a lone table takes no parentheses
        return " JOIN " + rows + " ON " + hop.rowSide() + " = " + hop.parentSide();
    }

    /**
     * How the rows of a level reach their parent row (the profile at the top level): the entity table, the
     * identifiers or junction table it goes {@code through} (a join, or null), and the expression on that side that
     * equals {@code parentSide} on the parent's. {@code repeatsRows}: through identifiers or a junction, one entity
     * row can meet the same parent twice; a plain join cannot, primary keys being unique (audience-model.md).
     */
    private record Hop(String table, String through, String rowSide, String parentSide, boolean repeatsRows) {
        String from() {
            return through == null ? table : table + " JOIN " + through;
        }
    }

    /** The hop of {@code scope}'s relationship; appends the parameters of its FROM. */
    private Hop hop(Scope scope) {
        Relationship r = graph.relationship(scope.relationship()).orElseThrow();
        String e = scope.alias();
        String table = dialect.table(scope.entity().table()) + " " + e;
        Relationship.Join join = r.join();
        String parent = scope.parent().alias();
        if (scope.parent().isProfile() && join.trait() != null) {
            return new Hop(table, null, col(e, join.column()), col(parent, join.trait()), false);
        }
        if (scope.parent().isProfile()) {
            String ui = "u" + (++aliases);
            parameters.add(join.externalId());
            return new Hop(table, dialect.table(graph.profile().identifiersTableOrDefault()) + " " + ui + " ON "
                    + col(ui, "value") + " = " + col(e, join.column()) + " AND " + col(ui, "type") + " = ?",
                    col(ui, "canonical_segment_id"), key(scope.parent()), true);
        }
        if (join != null) {
            return new Hop(table, null, col(e, join.column()), col(parent, join.parentColumn()), false);
        }
        Relationship.Junction j = r.junction();
        String ja = "j" + (++aliases);
        return new Hop(table, dialect.table(j.table()) + " " + ja + " ON " + col(ja, j.column()) + " = " + col(e, j.key()),
                col(ja, j.parentColumn()), col(parent, j.parentKey()), true);
    }

    /**
     * An event condition: one grouped query over the events, each attributed once by one hop through id_graph (an
     * event without an id_graph row belongs to its own segment_id). A filter that compares with a trait reads it
     * from the attributed profile, joined to the events, not per profile.
     */
    private String event(Condition c, Scope root, List<Join> joins, boolean semiJoin) {
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
        Scope attributedProfile = root;
        if (c.where() != null && c.where().filters().stream().anyMatch(f -> f.value() != null && f.value().trait() != null)) {
            attributedProfile = Scope.profile("p" + (++aliases));
            from += " JOIN " + dialect.table(profile.traitsTableOrDefault()) + " " + attributedProfile.alias() + " ON "
                    + key(attributedProfile) + " = " + attributed;
        }
        int mark = parameters.size();
        List<String> predicates = new ArrayList<>();
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
            Scope filterScope = attributedProfile;
            predicates.add(c.where().filters().stream()
                    .map(f -> comparison(col(ev, f.property()), f.op(), f.value(),
                            graph.columnType(table, f.property()).orElseThrow(), filterScope))
                    .map(x -> "COALESCE((" + x + "), FALSE)")
                    .collect(Collectors.joining(" " + logical(c.where().operator()) + " ", "(", ")")));
        }
        String where = predicates.isEmpty() ? "" : " WHERE " + String.join(" AND ", predicates);
        return counted(List.of(key(root)), "SELECT " + attributed + " AS k0 FROM " + from + where, c.countOrDefault(), mark, joins, semiJoin);
    }

    /** Membership of another audience as of its latest successful run: its snapshot, as a semi-join or a join. */
    private String audience(Condition c, Scope root, List<Join> joins, boolean semiJoin) {
        int mark = parameters.size();
        parameters.add(audienceIdByKey.apply(c.audience()));
        String members = "SELECT m." + dialect.column("profile_id") + " AS k0 FROM " + dialect.table(snapshotSchema + ".membership")
                + " m WHERE m." + dialect.column("audience_id") + " = ?";
        return counted(List.of(key(root)), members, new Condition.Count("at_least", 1L), mark, joins, semiJoin);
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
        String dynamic = value.trait() != null ? traitColumn(scope, value.trait())
                : col(scope.find(value.column().relationship()).alias(), value.column().column());
        parameters.add(before);
        parameters.add(after);
        // || and not CONCAT: a NULL trait must make the pattern NULL (false), and some CONCATs skip NULLs
        return "(? || " + dialect.escapeLikeSql(dynamic) + " || ?)";
    }

    private String operand(Value value, DataType type, Scope scope) {
        if (value.trait() != null) {
            return traitColumn(scope, value.trait());
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

    /** A trait of the profile at the root of {@code scope}. */
    private String traitColumn(Scope scope, String trait) {
        return col(scope.root().alias(), trait);
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
