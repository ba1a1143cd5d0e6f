package dev.linkedaudiences.compute.run;

import dev.linkedaudiences.contracts.JsonText;
import dev.linkedaudiences.compute.ComputeConfig;
import dev.linkedaudiences.compute.activation.ActivationState;
import dev.linkedaudiences.compute.audience.AudienceState;
import dev.linkedaudiences.compute.message.ActivationMessages;
import dev.linkedaudiences.compute.snapshot.EntityChange;
import dev.linkedaudiences.compute.snapshot.EntityContext;
import dev.linkedaudiences.compute.snapshot.MembershipSnapshots;
import dev.linkedaudiences.compute.snapshot.ProfileChange;
import dev.linkedaudiences.compute.snapshot.ProfileFields;
import dev.linkedaudiences.compute.sql.Dialect;
import dev.linkedaudiences.compute.sql.Dialects;
import dev.linkedaudiences.compute.sql.SqlCompiler;
import dev.linkedaudiences.contracts.Topics;
import dev.linkedaudiences.contracts.definition.AudienceDefinition;
import dev.linkedaudiences.contracts.definition.DefinitionValidator;
import dev.linkedaudiences.contracts.event.ActivationChanged;
import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.contracts.event.IdentifierStrategy;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.graph.Relationship;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Claims queued runs and executes them on worker threads: compile the definition, stage the members in the
 * warehouse, read only the differences from the baseline, publish one event per change and activation,
 * and only once Kafka acknowledged them all, promote the staged members to baseline. Any failure before that
 * leaves the baseline as it was, so the next run emits the same changes again.
 */
@ApplicationScoped
public class RunExecutor {
    private final RunService runs;
    private final ComputeConfig config;
    private final AgroalDataSource warehouse;
    private final MutinyEmitter<ActivationEvent> activationEvents;
    private final JsonText json;
    private final Dialect dialect;
    private final ExecutorService workers;
    private final Set<String> executing = ConcurrentHashMap.newKeySet();
    /** Who claims runs, as the run history shows it: the pod name on Kubernetes. */
    private final String instanceId = System.getenv().getOrDefault("HOSTNAME", "compute") + "-" + UUID.randomUUID().toString().substring(0, 8);
    private volatile boolean schemaReady;

    public RunExecutor(RunService runs, ComputeConfig config, @DataSource("warehouse") AgroalDataSource warehouse,
                       @Channel(Topics.ACTIVATION_EVENTS) MutinyEmitter<ActivationEvent> activationEvents, JsonText json) {
        this.runs = runs;
        this.config = config;
        this.warehouse = warehouse;
        this.activationEvents = activationEvents;
        this.json = json;
        this.workers = Executors.newFixedThreadPool(config.maxConcurrentRuns());
        this.dialect = Dialects.of(config.warehouseDialect());
    }

    void stop(@Observes ShutdownEvent event) {
        workers.shutdownNow();
    }

    @Scheduled(every = "${compute.poll-interval:1s}", delayed = "2s",
                concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
                skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void claimAndExecute() {
        List<String> claimed = await(() -> runs.claim(config.maxConcurrentRuns(), config.abandonedAfter(), instanceId));
        for (String runId : claimed) {
            executing.add(runId);
            workers.submit(() -> {
                try {
                    execute(runId);
                } finally {
                    executing.remove(runId);
                }
            });
        }
    }

    @Scheduled(every = "${compute.heartbeat-interval:10s}", delayed = "2s",
                concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
                skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> heartbeat() {
        return runs.heartbeat(Set.copyOf(executing));
    }

    private void execute(String runId) {
        try {
            RunRecord run = await(() -> runs.load(runId));
            AudienceState audience = await(() -> Panache.withSession(() -> AudienceState.<AudienceState>findById(run.audienceId)));
            if (audience == null || audience.definition == null) {
                if (Duration.between(run.queuedAt, Instant.now()).compareTo(config.definitionWait()) < 0) {
                    await(() -> runs.requeue(runId));
                } else {
                    await(() -> runs.failed(runId, "audience " + run.audienceId + " is unknown to compute-service; was it deleted?"));
                }
                return;
            }
            List<ActivationState> activations = await(() -> Panache.withSession(() ->
                    ActivationState.<ActivationState>list("audienceId", audience.id)));
            checkpoint(runId);
            RunOutcome outcome = compute(run, audience, activations);
            await(() -> runs.succeeded(runId, outcome));
            Log.infof("run %s of %s succeeded: size %d, +%d -%d", runId, audience.key, outcome.audienceSize(), outcome.entered(), outcome.exited());
        } catch (RunCanceled e) {
            Log.infof("run %s canceled", runId);
            await(() -> runs.canceled(runId));
        } catch (RunFailure e) {
            Log.warnf("run %s failed: %s", runId, e.getMessage());
            await(() -> runs.failed(runId, e.getMessage()));
        } catch (RuntimeException e) {
            Log.errorf(e, "run %s failed unexpectedly", runId);
            await(() -> runs.failed(runId, "internal error: " + e.getMessage()));
        }
    }

    private RunOutcome compute(RunRecord run, AudienceState audience, List<ActivationState> activations) {
        DataGraph graph = json.read(audience.dataGraph, DataGraph.class);
        AudienceDefinition definition = json.read(audience.definition, AudienceDefinition.class);
        Instant runStart = run.startedAt;
        long extractStart = System.nanoTime();
        try (Connection c = warehouse.getConnection()) {
            if (!schemaReady) {
                MembershipSnapshots.ensureSchema(c, dialect, config.snapshotSchema());
                schemaReady = true;
            }
            MembershipSnapshots snapshots = new MembershipSnapshots(c, dialect, config.snapshotSchema());
            Map<String, String> audienceIds = referencedAudienceIds(definition, snapshots);
            long size = snapshots.stage(audience.id, run.id, compiler(graph, runStart, audienceIds).members(definition));
            snapshots.stageMatched(audience.id, compiler(graph, runStart, audienceIds)
                    .matchedEntities(definition, snapshots.candidateTable(), audience.id));

            List<ActivationState> firing = activations.stream().filter(ActivationState::fires).toList();
            // the profile changes serve every activation: the union of their traits, and every email if one asks for it
            ProfileFields fields = new ProfileFields(
                    new ArrayList<>(new TreeSet<>(firing.stream().flatMap(a -> enrichment(a).traitsOrEmpty().stream()).toList())),
                    firing.stream().anyMatch(a -> IdentifierStrategy.EACH_EMAIL.value().equals(a.identifiers)));
            List<ProfileChange> entered = snapshots.entered(audience.id, graph, fields);
            List<ProfileChange> exited = snapshots.exited(audience.id, graph, fields);
            boolean backfillPending = firing.stream().anyMatch(a -> a.firstRunId == null && a.backfill
                    && (a.trigger.equals("profile_entered") || a.trigger.equals("membership_changed")));
            List<ProfileChange> everyone = backfillPending ? snapshots.allCandidates(audience.id, graph, fields) : List.of();
            long extractingMs = (System.nanoTime() - extractStart) / 1_000_000;

            long prepareStart = System.nanoTime();
            ActivationMessages.RunContext context = new ActivationMessages.RunContext(run.id, runStart, audience.id, audience.key);
            List<ActivationEvent> events = new ArrayList<>();
            for (ActivationState a : firing) {
                ActivationMessages.Activation activation = ActivationMessages.Activation.of(a, enrichment(a));
                ProfileFields activationFields = new ProfileFields(activation.traits(), activation.identifiers() == IdentifierStrategy.EACH_EMAIL);
                boolean backfill = a.firstRunId == null && a.backfill;
                switch (a.trigger) {
                    case "profile_entered" -> profileEvents(c, snapshots, graph, context, a, activation, backfill ? everyone : entered, true, events);
                    case "profile_exited" -> profileEvents(c, snapshots, graph, context, a, activation, exited, false, events);
                    case "membership_changed" -> {
                        (backfill ? everyone : entered).forEach(change -> events.addAll(ActivationMessages.identifies(context, activation, change, true)));
                        exited.forEach(change -> events.addAll(ActivationMessages.identifies(context, activation, change, false)));
                    }
                    case "entity_entered" -> entityEvents(c, snapshots, graph, context, a, activation, backfill
                            ? snapshots.allEntities(audience.id, a.relationship, graph, activationFields)
                            : snapshots.entitiesEntered(audience.id, a.relationship, graph, activationFields), true, events);
                    case "entity_exited" -> entityEvents(c, snapshots, graph, context, a, activation,
                            snapshots.entitiesExited(audience.id, a.relationship, graph, activationFields), false, events);
                    default -> Log.warnf("activation %s has trigger %s, which this version does not emit", a.id, a.trigger);
                }
            }
            checkpoint(run.id);
            publish(events);
            Long preparingMs = events.isEmpty() && entered.isEmpty() && exited.isEmpty() ? null : (System.nanoTime() - prepareStart) / 1_000_000;

            snapshots.promote(audience.id, run.id);
            markEmitted(firing, run.id);
            return new RunOutcome(size, entered.size(), exited.size(), extractingMs, preparingMs);
        } catch (SQLException e) {
            throw new RunFailure(WarehouseErrors.explain(e));
        }
    }

    private SqlCompiler compiler(DataGraph graph, Instant runStart, Map<String, String> audienceIds) {
        return new SqlCompiler(dialect, graph, runStart, audienceIds::get, config.snapshotSchema());
    }

    /**
     * The messages of each profile change, with the profile's matched entities of the relationships the activation
     * enriches: entered profiles are described from the run's matched entities, exited ones from the baseline's.
     */
    private void profileEvents(Connection c, MembershipSnapshots snapshots, DataGraph graph, ActivationMessages.RunContext context,
                               ActivationState state, ActivationMessages.Activation activation, List<ProfileChange> changes,
                               boolean entered, List<ActivationEvent> events) throws SQLException {
        ActivationChanged.Enrichment enrichment = enrichment(state);
        List<Relationship> enriched = new ArrayList<>();
        for (String slug : enrichment.relationshipsOrEmpty()) {
            enriched.add(relationship(graph, state, slug));
        }
        EntityContext entities = new EntityContext(c, dialect, graph, snapshots.matchedTable(entered), state.maxEntitiesPerLevel, enrichment);
        for (ProfileChange change : changes) {
            events.addAll(ActivationMessages.events(context, activation, change, null,
                    entities.enrichedRelationships(context.audienceId(), change.profileId(), enriched)));
        }
    }

    /**
     * The messages of each (profile, entity) change, with the entity's context as the activation shapes it:
     * entered entities are described from the run's matched entities, exited ones from the baseline's.
     */
    private void entityEvents(Connection c, MembershipSnapshots snapshots, DataGraph graph, ActivationMessages.RunContext context,
                              ActivationState state, ActivationMessages.Activation activation, List<EntityChange> changes,
                              boolean entered, List<ActivationEvent> events) throws SQLException {
        Relationship relationship = relationship(graph, state, state.relationship);
        EntityContext entities = new EntityContext(c, dialect, graph, snapshots.matchedTable(entered), state.maxEntitiesPerLevel, enrichment(state));
        for (EntityChange change : changes) {
            events.addAll(ActivationMessages.events(context, activation, change.profile(), change.entityKey(),
                    entities.properties(context.audienceId(), change.profile().profileId(), relationship, change.entityKey())));
        }
    }

    /** A relationship the activation names (watches or enriches), which a data graph edited since may have lost. */
    private static Relationship relationship(DataGraph graph, ActivationState state, String slug) {
        return graph.relationship(slug).orElseThrow(
                () -> new RunFailure("activation " + state.id + " names relationship '" + slug + "', which the data graph no longer has"));
    }

    /** Ids of the audiences the definition references; each must have a baseline to be read. */
    private Map<String, String> referencedAudienceIds(AudienceDefinition definition, MembershipSnapshots snapshots) throws SQLException {
        Map<String, String> ids = new HashMap<>();
        for (String key : DefinitionValidator.referencedAudiences(definition)) {
            AudienceState referenced = await(() -> Panache.withSession(() -> AudienceState.<AudienceState>find("key", key).firstResult()));
            if (referenced != null) {
                ids.put(key, referenced.id);
            }
        }
        snapshots.unreadableReference(definition, ids).ifPresent(reason -> {
            throw new RunFailure(reason);
        });
        return ids;
    }

    /** Sends every event (those filtered at source as their envelope only) and waits until Kafka acknowledged all of them. */
    private void publish(List<ActivationEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        await(() -> Uni.join().all(events.stream().map(ActivationMessages::forTransport)
                        .map(e -> activationEvents.sendMessage(Message.of(e).addMetadata(
                                OutgoingKafkaRecordMetadata.<String>builder().withKey(e.partitionKey()).build())))
                        .toList())
                .andFailFast().replaceWithVoid());
    }

    private void markEmitted(List<ActivationState> firing, String runId) {
        List<String> pending = firing.stream().filter(a -> a.firstRunId == null).map(a -> a.id).toList();
        if (!pending.isEmpty()) {
            await(() -> Panache.withTransaction(() -> ActivationState.update("firstRunId = ?1 where id in ?2 and firstRunId is null", runId, pending)));
        }
    }

    private ActivationChanged.Enrichment enrichment(ActivationState a) {
        return json.read(a.enrichment, ActivationChanged.Enrichment.class);
    }

    /** Runs reactive (Hibernate Reactive, Kafka) work from a worker thread on a fresh Vert.x context. */
    private static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops here, before anything leaves the service, if someone asked to cancel the run. */
    private void checkpoint(String runId) {
        if (await(() -> runs.cancelRequested(runId))) {
            throw new RunCanceled();
        }
    }

    /** A cancel request seen at a checkpoint: the run ends canceled, the baseline untouched. */
    static final class RunCanceled extends RuntimeException {
        RunCanceled() {
            super("canceled", null, false, false);
        }
    }

    /** A failure a person can act on; its message becomes the run's error. */
    static final class RunFailure extends RuntimeException {
        RunFailure(String message) {
            super(message);
        }
    }
}
