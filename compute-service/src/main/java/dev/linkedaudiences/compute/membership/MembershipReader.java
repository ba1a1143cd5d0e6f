package dev.linkedaudiences.compute.membership;

import dev.linkedaudiences.compute.warehouse.WarehouseGateway;
import dev.linkedaudiences.compute.warehouse.WarehouseSession;
import dev.linkedaudiences.contracts.graph.DataGraph;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an audience's baseline snapshot (members, matched entities) from the warehouse, for the API. Blocking: call
 * it off the event loop.
 */
@ApplicationScoped
public class MembershipReader {
    /** The Entity Explorer shows at most this many entities per level... */
    static final int PER_LEVEL = 10;
    /** ...and this many levels below the profile (6 counting the profile). */
    static final int LEVELS = 5;
    /** A profile's matched rows read at most, so one huge profile cannot exhaust the service. */
    private static final int MAX_ROWS = 10_000;

    private final WarehouseGateway warehouse;

    public MembershipReader(WarehouseGateway warehouse) {
        this.warehouse = warehouse;
    }

    /** Up to {@code limit} members after {@code afterProfileId} (null: from the first), by profile id. */
    public List<MemberView> members(String audienceId, String afterProfileId, int limit) throws SQLException {
        String sql = "SELECT profile_id, run_id FROM " + table("membership") + " WHERE audience_id = ?"
                + (afterProfileId == null ? "" : " AND profile_id > ?") + " ORDER BY profile_id";
        List<Object> parameters = afterProfileId == null ? List.of(audienceId) : List.of(audienceId, afterProfileId);
        try (WarehouseSession session = warehouse.session()) {
            return session.query(warehouse.dialect().limit(sql, limit), parameters, row -> new MemberView(row.text(1), row.text(2)));
        }
    }

    /**
     * The member's matched entities as trees under the profile, {@link #PER_LEVEL} per level, by key; empty when the
     * profile is not a member.
     */
    public Optional<List<MatchedNode>> matchedEntities(String audienceId, String profileId, DataGraph graph) throws SQLException {
        try (WarehouseSession session = warehouse.session()) {
            if (session.query("SELECT 1 FROM " + table("membership") + " WHERE audience_id = ? AND profile_id = ?",
                    List.of(audienceId, profileId), row -> row.text(1)).isEmpty()) {
                return Optional.empty();
            }
            Map<String, List<String[]>> byParent = new HashMap<>();
            String sql = "SELECT DISTINCT relationship, entity_key, parent_relationship, parent_key FROM " + table("matched")
                    + " WHERE audience_id = ? AND profile_id = ? ORDER BY relationship, entity_key";
            for (String[] row : session.query(warehouse.dialect().limit(sql, MAX_ROWS), List.of(audienceId, profileId),
                    row -> new String[]{row.text(1), row.text(2), row.text(3), row.text(4)})) {
                byParent.computeIfAbsent(parentOf(row[2], row[3]), k -> new ArrayList<>()).add(row);
            }
            return Optional.of(level(byParent, parentOf(null, null), graph, 1).nodes());
        }
    }

    private String table(String name) {
        return warehouse.dialect().table(warehouse.snapshotSchema() + "." + name);
    }

    private record Level(List<MatchedNode> nodes, int more) {
    }

    private static Level level(Map<String, List<String[]>> byParent, String parent, DataGraph graph, int depth) {
        List<String[]> rows = byParent.getOrDefault(parent, List.of());
        List<MatchedNode> nodes = new ArrayList<>();
        for (String[] row : rows.subList(0, Math.min(PER_LEVEL, rows.size()))) {
            String entity = graph.relationship(row[0]).map(r -> r.entity()).orElse(null);
            Level below = depth < LEVELS ? level(byParent, parentOf(row[0], row[1]), graph, depth + 1) : new Level(List.of(), 0);
            nodes.add(new MatchedNode(row[0], entity, row[1], below.nodes(), below.more()));
        }
        return new Level(nodes, Math.max(0, rows.size() - PER_LEVEL));
    }

    private static String parentOf(String relationship, String key) {
        return relationship == null ? "" : relationship + "\u0000" + key;
    }
}
