package dev.linkedaudiences.compute.preview;

import dev.linkedaudiences.compute.snapshot.MembershipSnapshots;
import dev.linkedaudiences.compute.sql.Dialect;
import dev.linkedaudiences.compute.sql.SqlCompiler;
import dev.linkedaudiences.compute.warehouse.WarehouseGateway;
import dev.linkedaudiences.compute.warehouse.WarehouseSession;
import dev.linkedaudiences.contracts.definition.AudienceDefinition;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.problem.ApiException;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a definition selects now, computed in the warehouse like a run but without touching any snapshot: staged
 * under an id no audience has, counted and sampled, then discarded. Blocking: call it off the event loop.
 */
@ApplicationScoped
public class AudiencePreviews {
    static final int ENTITY_SAMPLE = 100;

    private final WarehouseGateway warehouse;

    public AudiencePreviews(WarehouseGateway warehouse) {
        this.warehouse = warehouse;
    }

    public record Preview(long profileCount, List<String> sampleProfiles, String relationship, Long matchedEntityCount,
                          List<MatchedEntity> matchedEntitySample) {
    }

    public record MatchedEntity(String profileId, String key) {
    }

    /** The preview of a valid definition; {@code relationship} (null: none) must be one it matches. */
    public Preview compute(AudienceDefinition definition, String relationship, DataGraph graph, Map<String, String> idByKey, int sample) {
        Dialect dialect = warehouse.dialect();
        String previewId = UUID.randomUUID().toString(); // staged like a run, under an id no audience has
        Instant now = Instant.now();
        try (WarehouseSession c = warehouse.session()) {
            MembershipSnapshots snapshots = new MembershipSnapshots(c, dialect, warehouse.snapshotSchema());
            snapshots.unreadableReference(definition, idByKey).ifPresent(reason -> {
                throw ApiException.invalid("/definition", reason);
            });
            try {
                long count = snapshots.stage(previewId, previewId,
                        new SqlCompiler(dialect, graph, now, idByKey::get, warehouse.snapshotSchema()).members(definition));
                List<String> profiles = sample == 0 ? List.of() : snapshots.stagedSample(previewId, sample);
                if (relationship == null) {
                    return new Preview(count, profiles, null, null, null);
                }
                snapshots.stageMatched(previewId, new SqlCompiler(dialect, graph, now, idByKey::get, warehouse.snapshotSchema())
                        .matchedEntities(definition, snapshots.candidateTable(), previewId));
                return new Preview(count, profiles, relationship, snapshots.stagedEntityCount(previewId, relationship),
                        snapshots.stagedEntitySample(previewId, relationship, ENTITY_SAMPLE).stream()
                                .map(pair -> new MatchedEntity(pair[0], pair[1])).toList());
            } finally {
                snapshots.discard(previewId);
            }
        } catch (SQLException e) {
            throw ApiException.unavailable("the warehouse could not compute the preview: " + e.getMessage());
        }
    }
}
