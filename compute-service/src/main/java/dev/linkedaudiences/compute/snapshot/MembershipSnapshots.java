package dev.linkedaudiences.compute.snapshot;

import dev.linkedaudiences.compute.sql.CompiledQuery;
import dev.linkedaudiences.compute.sql.Dialect;
import dev.linkedaudiences.contracts.graph.DataGraph;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Membership snapshots and diffs, kept inside the warehouse in a schema the service owns:
 * <ul>
 * <li>{@code membership}: the baseline, the members as of the audience's last successful run;</li>
 * <li>{@code candidate}: the members a run in progress computed;</li>
 * <li>{@code baseline}: which run the baseline comes from.</li>
 * </ul>
 * A run stages its candidate, reads only the differences from the baseline, and promotes the candidate to
 * baseline after its events are published. A run that fails before promotion leaves the baseline as it was.
 */
public final class MembershipSnapshots {
    private final Connection warehouse;
    private final Dialect dialect;
    private final String membership;
    private final String candidate;
    private final String baseline;

    public MembershipSnapshots(Connection warehouse, Dialect dialect, String schema) {
        this.warehouse = warehouse;
        this.dialect = dialect;
        this.membership = dialect.table(schema + ".membership");
        this.candidate = dialect.table(schema + ".candidate");
        this.baseline = dialect.table(schema + ".baseline");
    }

    /** Creates the snapshot schema and tables when they are missing. */
    public static void ensureSchema(Connection warehouse, Dialect dialect, String schema) throws SQLException {
        try (Statement s = warehouse.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + dialect.column(schema));
            s.execute("CREATE TABLE IF NOT EXISTS " + dialect.table(schema + ".membership")
                    + " (audience_id VARCHAR(36) NOT NULL, profile_id VARCHAR(200) NOT NULL, run_id VARCHAR(36) NOT NULL,"
                    + " PRIMARY KEY (audience_id, profile_id))");
            s.execute("CREATE TABLE IF NOT EXISTS " + dialect.table(schema + ".candidate")
                    + " (audience_id VARCHAR(36) NOT NULL, profile_id VARCHAR(200) NOT NULL, run_id VARCHAR(36) NOT NULL,"
                    + " PRIMARY KEY (audience_id, profile_id))");
            s.execute("CREATE TABLE IF NOT EXISTS " + dialect.table(schema + ".baseline")
                    + " (audience_id VARCHAR(36) PRIMARY KEY, run_id VARCHAR(36) NOT NULL, promoted_at TIMESTAMP NOT NULL)");
        }
    }

    /** Whether the audience has had a successful run (its membership can be referenced). */
    public boolean hasBaseline(String audienceId) throws SQLException {
        try (PreparedStatement ps = warehouse.prepareStatement("SELECT 1 FROM " + baseline + " WHERE audience_id = ?")) {
            ps.setString(1, audienceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Replaces the audience's candidate with the members of {@code members}; answers the audience size. */
    public long stage(String audienceId, String runId, CompiledQuery members) throws SQLException {
        delete(candidate, audienceId);
        String sql = "INSERT INTO " + candidate + " (audience_id, profile_id, run_id) SELECT ?, q.profile_id, ? FROM ("
                + members.sql() + ") q";
        try (PreparedStatement ps = warehouse.prepareStatement(sql)) {
            ps.setString(1, audienceId);
            ps.setString(2, runId);
            for (int i = 0; i < members.parameters().size(); i++) {
                ps.setObject(i + 3, members.parameters().get(i));
            }
            return ps.executeUpdate();
        }
    }

    /** Candidates that are not in the baseline. */
    public List<ProfileChange> entered(String audienceId, DataGraph graph, List<String> traits) throws SQLException {
        return changes(candidate, membership, audienceId, graph, traits, true);
    }

    /** Baseline members that are not candidates. */
    public List<ProfileChange> exited(String audienceId, DataGraph graph, List<String> traits) throws SQLException {
        return changes(membership, candidate, audienceId, graph, traits, true);
    }

    /** Every candidate: what a newly enabled activation backfills. */
    public List<ProfileChange> allCandidates(String audienceId, DataGraph graph, List<String> traits) throws SQLException {
        return changes(candidate, membership, audienceId, graph, traits, false);
    }

    private List<ProfileChange> changes(String from, String notIn, String audienceId, DataGraph graph, List<String> traits,
                                        boolean onlyDifferences) throws SQLException {
        String ids = dialect.table(graph.profile().identifiersTableOrDefault());
        String traitsTable = dialect.table(graph.profile().traitsTableOrDefault());
        StringBuilder sql = new StringBuilder("SELECT s.profile_id, ")
                .append(identifier(ids)).append(", ").append(identifier(ids));
        for (String trait : traits) {
            sql.append(", t.").append(dialect.column(trait));
        }
        sql.append(" FROM ").append(from).append(" s LEFT JOIN ").append(traitsTable).append(" t ON t.")
                .append(dialect.column("canonical_segment_id")).append(" = s.profile_id WHERE s.audience_id = ?");
        if (onlyDifferences) {
            sql.append(" AND NOT EXISTS (SELECT 1 FROM ").append(notIn)
                    .append(" o WHERE o.audience_id = s.audience_id AND o.profile_id = s.profile_id)");
        }
        sql.append(" ORDER BY s.profile_id");
        List<ProfileChange> changes = new ArrayList<>();
        try (PreparedStatement ps = warehouse.prepareStatement(sql.toString())) {
            ps.setString(1, "user_id");
            ps.setString(2, "email");
            ps.setString(3, audienceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> values = new LinkedHashMap<>();
                    for (int i = 0; i < traits.size(); i++) {
                        values.put(traits.get(i), rs.getObject(4 + i));
                    }
                    changes.add(new ProfileChange(rs.getString(1), rs.getString(2), rs.getString(3), values));
                }
            }
        }
        return changes;
    }

    /** The profile's identifier of the type bound at this place; the smallest value when it has several. */
    private String identifier(String ids) {
        return "(SELECT MIN(ui." + dialect.column("value") + ") FROM " + ids + " ui WHERE ui."
                + dialect.column("canonical_segment_id") + " = s.profile_id AND ui." + dialect.column("type") + " = ?)";
    }

    /** The candidate becomes the baseline, in one warehouse transaction. */
    public void promote(String audienceId, String runId) throws SQLException {
        boolean autoCommit = warehouse.getAutoCommit();
        warehouse.setAutoCommit(false);
        try {
            delete(membership, audienceId);
            try (PreparedStatement ps = warehouse.prepareStatement("INSERT INTO " + membership
                    + " (audience_id, profile_id, run_id) SELECT audience_id, profile_id, run_id FROM " + candidate
                    + " WHERE audience_id = ?")) {
                ps.setString(1, audienceId);
                ps.executeUpdate();
            }
            delete(candidate, audienceId);
            delete(baseline, audienceId);
            try (PreparedStatement ps = warehouse.prepareStatement("INSERT INTO " + baseline
                    + " (audience_id, run_id, promoted_at) VALUES (?, ?, CURRENT_TIMESTAMP)")) {
                ps.setString(1, audienceId);
                ps.setString(2, runId);
                ps.executeUpdate();
            }
            warehouse.commit();
        } catch (SQLException e) {
            warehouse.rollback();
            throw e;
        } finally {
            warehouse.setAutoCommit(autoCommit);
        }
    }

    private void delete(String table, String audienceId) throws SQLException {
        try (PreparedStatement ps = warehouse.prepareStatement("DELETE FROM " + table + " WHERE audience_id = ?")) {
            ps.setString(1, audienceId);
            ps.executeUpdate();
        }
    }
}
