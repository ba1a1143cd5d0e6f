package dev.linkedaudiences.compute.run;

import dev.linkedaudiences.compute.activation.ActivationState;
import dev.linkedaudiences.compute.message.ActivationMessages;
import dev.linkedaudiences.compute.snapshot.EntityChange;
import dev.linkedaudiences.compute.snapshot.EntityContext;
import dev.linkedaudiences.compute.snapshot.MembershipSnapshots;
import dev.linkedaudiences.compute.snapshot.ProfileChange;
import dev.linkedaudiences.compute.snapshot.ProfileFields;
import dev.linkedaudiences.compute.sql.Dialect;
import dev.linkedaudiences.compute.warehouse.WarehouseSession;
import dev.linkedaudiences.contracts.JsonText;
import dev.linkedaudiences.contracts.event.ActivationChanged;
import dev.linkedaudiences.contracts.event.IdentifierStrategy;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.graph.Relationship;
import io.quarkus.logging.Log;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns a staged run's changes into events, a page at a time: each change set is read once through a cursor,
 * whatever the number of activations it serves; each page is enriched with one query per enriched relationship
 * and level, and its events go to the publication, which holds the run back while Kafka is behind. Memory depends
 * on the page size and the in-flight window, never on the run's size.
 * <ul>
 * <li>entered profiles serve {@code profile_entered} and {@code membership_changed} (true);</li>
 * <li>every candidate serves those of them that backfill on their first run;</li>
 * <li>exited profiles serve {@code profile_exited} and {@code membership_changed} (false);</li>
 * <li>each entity activation reads its own relationship's pairs.</li>
 * </ul>
 */
final class RunEmission {
    private final MembershipSnapshots snapshots;
    private final WarehouseSession lookups;
    private final WarehouseSession cursor;
    private final Dialect dialect;
    private final DataGraph graph;
    private final JsonText json;
    private final ActivationMessages.RunContext context;
    private final ActivationEventPublisher.Publication publication;
    private final int pageSize;
    private final Runnable betweenPages;
    private int stagedContexts;

    /**
     * @param lookups      the session the snapshots use, for the lookups of each page
     * @param cursor       a second session, which holds the cursor of the change set being read
     * @param betweenPages called before each page is published (the cancel checkpoint)
     */
    RunEmission(MembershipSnapshots snapshots, WarehouseSession lookups, WarehouseSession cursor, Dialect dialect, DataGraph graph, JsonText json,
                ActivationMessages.RunContext context, ActivationEventPublisher.Publication publication, int pageSize, Runnable betweenPages) {
        this.snapshots = snapshots;
        this.lookups = lookups;
        this.cursor = cursor;
        this.dialect = dialect;
        this.graph = graph;
        this.json = json;
        this.context = context;
        this.publication = publication;
        this.pageSize = pageSize;
        this.betweenPages = betweenPages;
    }

    /** Publishes the events of every firing activation. */
    void emit(List<ActivationState> firing) throws SQLException {
        List<ProfileUse> entered = new ArrayList<>();
        List<ProfileUse> everyone = new ArrayList<>();
        List<ProfileUse> exited = new ArrayList<>();
        for (ActivationState a : firing) {
            boolean backfill = a.firstRunId == null && a.backfill;
            switch (a.trigger) {
                case "profile_entered" -> (backfill ? everyone : entered).add(profileUse(a, true));
                case "profile_exited" -> exited.add(profileUse(a, false));
                case "membership_changed" -> {
                    (backfill ? everyone : entered).add(profileUse(a, true));
                    exited.add(profileUse(a, false));
                }
                case "entity_entered", "entity_exited" -> entityEvents(a, backfill);
                default -> Log.warnf("activation %s has trigger %s, which this version does not emit", a.id, a.trigger);
            }
        }
        String audienceId = context.audienceId();
        if (!entered.isEmpty()) {
            withStagedContexts(entered, snapshots.enteredProfiles(audienceId),
                    () -> snapshots.entered(cursor, audienceId, graph, fields(entered), pageSize, page -> profileEvents(page, entered)));
        }
        if (!everyone.isEmpty()) {
            withStagedContexts(everyone, snapshots.candidateProfiles(audienceId),
                    () -> snapshots.allCandidates(cursor, audienceId, graph, fields(everyone), pageSize, page -> profileEvents(page, everyone)));
        }
        if (!exited.isEmpty()) {
            withStagedContexts(exited, snapshots.exitedProfiles(audienceId),
                    () -> snapshots.exited(cursor, audienceId, graph, fields(exited), pageSize, page -> profileEvents(page, exited)));
        }
    }

    /** Reads one change set. */
    @FunctionalInterface
    private interface ChangeSetRead {
        void run() throws SQLException;
    }

    /** Reads a change set with the entity context of each use that enriches relationships staged for its profiles. */
    private void withStagedContexts(List<ProfileUse> uses, MembershipSnapshots.ChangedProfiles changed, ChangeSetRead read) throws SQLException {
        List<ProfileUse> enriching = uses.stream().filter(use -> !use.enriched().isEmpty()).toList();
        try {
            for (ProfileUse use : enriching) {
                use.entities().stage(nextStagingPrefix(), context.audienceId(), changed, use.enriched(), false);
            }
            read.run();
        } finally {
            for (ProfileUse use : enriching) {
                use.entities().dropStaged();
            }
        }
    }

    /**
     * A prefix for the tables of one staged context: unique in the run, and the same in the audience's next run or
     * attempt (an audience runs once at a time), which so replaces whatever a crashed attempt left.
     */
    private String nextStagingPrefix() {
        return snapshots.runTable("ctx_" + context.audienceId().replace("-", "") + "_" + (++stagedContexts) + "_");
    }

    /**
     * One activation's use of a profile change set: its message shape, whether the profiles are members now, and
     * the context of the relationships it enriches (entered profiles described from the run's matched entities,
     * exited ones from the baseline's).
     */
    private record ProfileUse(ActivationMessages.Activation activation, boolean member, List<Relationship> enriched,
                              EntityContext entities) {
    }

    private ProfileUse profileUse(ActivationState state, boolean member) {
        ActivationChanged.Enrichment enrichment = enrichment(state);
        List<Relationship> enriched = state.trigger.equals("membership_changed") ? List.of()
                : enrichment.relationshipsOrEmpty().stream().map(slug -> relationship(state, slug)).toList();
        return new ProfileUse(ActivationMessages.Activation.of(state, enrichment), member, enriched,
                new EntityContext(lookups, dialect, graph, snapshots.matchedTable(member), state.maxEntitiesPerLevel, enrichment));
    }

    /** What is read of the profiles of a change set: the union of its activations' traits, every email if one asks. */
    private static ProfileFields fields(List<ProfileUse> uses) {
        return new ProfileFields(new ArrayList<>(new TreeSet<>(uses.stream().flatMap(u -> u.activation().traits().stream()).toList())),
                uses.stream().anyMatch(u -> u.activation().identifiers() == IdentifierStrategy.EACH_EMAIL));
    }

    private void profileEvents(List<ProfileChange> page, List<ProfileUse> uses) throws SQLException {
        betweenPages.run();
        List<String> profileIds = page.stream().map(ProfileChange::profileId).toList();
        for (ProfileUse use : uses) {
            if (use.activation().trigger().equals("membership_changed")) {
                page.forEach(change -> ActivationMessages.identifies(context, use.activation(), change, use.member()).forEach(publication::send));
                continue;
            }
            Map<String, Map<String, Object>> enriched = use.enriched().isEmpty() ? Map.of()
                    : use.entities().enrichedRelationships(context.audienceId(), profileIds, use.enriched());
            for (ProfileChange change : page) {
                ActivationMessages.events(context, use.activation(), change, null, enriched.getOrDefault(change.profileId(), Map.of()))
                        .forEach(publication::send);
            }
        }
    }

    /** An entity activation's (profile, entity) changes, each with the entity's context as the activation shapes it. */
    private void entityEvents(ActivationState state, boolean backfill) throws SQLException {
        ActivationChanged.Enrichment enrichment = enrichment(state);
        ActivationMessages.Activation activation = ActivationMessages.Activation.of(state, enrichment);
        ProfileFields fields = new ProfileFields(activation.traits(), activation.identifiers() == IdentifierStrategy.EACH_EMAIL);
        Relationship relationship = relationship(state, state.relationship);
        boolean entered = state.trigger.equals("entity_entered");
        EntityContext entities = new EntityContext(lookups, dialect, graph, snapshots.matchedTable(entered), state.maxEntitiesPerLevel, enrichment);
        MembershipSnapshots.PageConsumer<EntityChange> events = page -> {
            betweenPages.run();
            List<Map<String, Object>> properties = entities.properties(context.audienceId(), relationship,
                    page.stream().map(change -> new EntityContext.Pair(change.profile().profileId(), change.entityKey())).toList());
            for (int i = 0; i < page.size(); i++) {
                EntityChange change = page.get(i);
                ActivationMessages.events(context, activation, change.profile(), change.entityKey(), properties.get(i)).forEach(publication::send);
            }
        };
        String audienceId = context.audienceId();
        try {
            entities.stage(nextStagingPrefix(), audienceId, snapshots.entityProfiles(audienceId, state.relationship, entered, backfill),
                    List.of(relationship), true);
            if (!entered) {
                snapshots.entitiesExited(cursor, audienceId, state.relationship, graph, fields, pageSize, events);
            } else if (backfill) {
                snapshots.allEntities(cursor, audienceId, state.relationship, graph, fields, pageSize, events);
            } else {
                snapshots.entitiesEntered(cursor, audienceId, state.relationship, graph, fields, pageSize, events);
            }
        } finally {
            entities.dropStaged();
        }
    }

    /** A relationship the activation names (watches or enriches), which a data graph edited since may have lost. */
    private Relationship relationship(ActivationState state, String slug) {
        return graph.relationship(slug).orElseThrow(() -> new RunExecutor.RunFailure(
                "activation " + state.id + " names relationship '" + slug + "', which the data graph no longer has"));
    }

    private ActivationChanged.Enrichment enrichment(ActivationState a) {
        return json.read(a.enrichment, ActivationChanged.Enrichment.class);
    }
}
