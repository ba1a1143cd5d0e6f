package dev.linkedaudiences.compute.membership;

import dev.linkedaudiences.compute.sql.Dialect;
import dev.linkedaudiences.contracts.graph.DataGraph;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads an audience's baseline snapshot (members, matched entities) from the warehouse, for the API. */
final class MembershipReader {
    /** The Entity Explorer shows at most this many entities per level... */
    static final int PER_LEVEL = 10;
    /** ...and this many levels below the profile (6 counting the profile). */
    static final int LEVELS = 5;
    /** A profile's matched rows read at most, so one huge profile cannot exhaust the service. */
    private static final int MAX_ROWS = 10_000;

    private final Connection warehouse;
    private final String membership;
    private final String matched;

    MembershipReader(Connection warehouse, Dialect dialect, String schema) {
        this.warehouse = warehouse;
        this.membership = dialect.table(schema + ".membership");
        this.matched = dialect.table(schema + ".matched");
    }

    /** Up to {@code limit} members after {@code afterProfileId} (null: from the first), by profile id. */
    List<MemberView> members(String audienceId, String afterProfileId, int limit) throws SQLException {
        String sql = "SELECT profile_id, run_id FROM " + membership + " WHERE audience_id = ?"
                + (afterProfileId == null ? "" : " AND profile_id > ?") + " ORDER BY profile_id";
        List<MemberView> members = new ArrayList<>();
        try (PreparedStatement ps = warehouse.prepareStatement(sql)) {
            ps.setString(1, audienceId);
            if (afterProfileId != null) {
                ps.setString(2, afterProfileId);
            }
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    members.add(new MemberView(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return members;
    }

    boolean isMember(String audienceId, String profileId) throws SQLException {
        try (PreparedStatement ps = warehouse.prepareStatement("SELECT 1 FROM " + membership + " WHERE audience_id = ? AND profile_id = ?")) {
            ps.setString(1, audienceId);
            ps.setString(2, profileId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The member's matched entities as trees under the profile, {@link #PER_LEVEL} per level, by key. */
    List<MatchedNode> matchedEntities(String audienceId, String profileId, DataGraph graph) throws SQLException {
        Map<String, List<String[]>> byParent = new HashMap<>();
        try (PreparedStatement ps = warehouse.prepareStatement("SELECT DISTINCT relationship, entity_key, parent_relationship, parent_key FROM "
                + matched + " WHERE audience_id = ? AND profile_id = ? ORDER BY relationship, entity_key")) {
            ps.setString(1, audienceId);
            ps.setString(2, profileId);
            ps.setMaxRows(MAX_ROWS);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byParent.computeIfAbsent(parentOf(rs.getString(3), rs.getString(4)), k -> new ArrayList<>())
                            .add(new String[]{rs.getString(1), rs.getString(2)});
                }
            }
        }
        return level(byParent, parentOf(null, null), graph, 1).nodes();
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
