package dev.linkedaudiences.compute.run;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.linkedaudiences.compute.ComputeConfig;
import dev.linkedaudiences.compute.activation.ActivationState;
import dev.linkedaudiences.compute.audience.AudienceState;
import dev.linkedaudiences.compute.message.ActivationMessages;
import dev.linkedaudiences.compute.snapshot.MembershipSnapshots;
import dev.linkedaudiences.compute.sql.Dialect;
import dev.linkedaudiences.compute.sql.SqlCompiler;
import dev.linkedaudiences.compute.warehouse.WarehouseGateway;
import dev.linkedaudiences.compute.warehouse.WarehouseSession;
import dev.linkedaudiences.contracts.JsonText;
import dev.linkedaudiences.contracts.definition.AudienceDefinition;
import dev.linkedaudiences.contracts.definition.DefinitionValidator;
import dev.linkedaudiences.contracts.graph.DataGraph;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dev.linkedaudiences.compute.ReactiveWork.await;

/**
 * Claims queued runs and executes them on worker threads: compile the definition, stage the members in the
 * warehouse, then stream only the differences from the baseline, a page at a time, as one event per change and
 * activation ({@link RunEmission}), and only once Kafka acknowledged them all, promote the staged members to
 * baseline. Any failure before that leaves the baseline as it was; the next run emits the same changes again,
 * under the same message ids ({@link RunService#messageIdentity}).
 */
@ApplicationScoped
public class RunExecutor {
    private final RunService runs;
    private final ComputeConfig config;
    private final WarehouseGateway warehouse;
    private final ActivationEventPublisher publisher;
    private final JsonText json;
    private final Dialect dialect;
    private final ExecutorService workers;
    private final Set<String> executing = ConcurrentHashMap.newKeySet();
    /** Who claims runs, as the run history shows it: the pod name on Kubernetes. */
    private final String instanceId = System.getenv().getOrDefault("HOSTNAME", "compute") + "-" + UUID.randomUUID().toString().substring(0, 8);

    public RunExecutor(RunService runs, ComputeConfig config, WarehouseGateway warehouse,
                       ActivationEventPublisher publisher, JsonText json) {
        this.runs = runs;
        this.config = config;
        this.warehouse = warehouse;
        this.publisher = publisher;
        this.json = json;
        this.workers = Executors.newFixedThreadPool(config.maxConcurrentRuns());
        this.dialect = warehouse.dialect();
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
            List<String> behind = notYetRead(run, activations);
            if (!behind.isEmpty()) {
                if (Duration.between(run.queuedAt, Instant.now()).compareTo(config.definitionWait()) < 0) {
                    await(() -> runs.requeue(runId));
                    return;
                }
                // deleted since the request (their deletion removed them here too), or never readable: run without them
                Log.warnf("run %s starts without activations %s, which its request named and which have not arrived in %s",
                        runId, behind, config.definitionWait());
            }
            checkpoint(runId);
            RunOutcome outcome = compute(run, audience, activations);
            await(() -> runs.succeeded(runId, outcome));
            Log.infof("run %s of %s succeeded: size %d, +%d -%d", runId, audience.key, outcome.audienceSize(), outcome.entered(), outcome.exited());
        } catch (RunHeld e) {
            Log.infof("run %s held by its audience's guard rail: %s", runId, e.getMessage());
            await(() -> runs.held(runId, e.staged, e.getMessage()));
        } catch (RunCanceled e) {
            Log.infof("run %s canceled", runId);
            await(() -> runs.canceled(runId));
        } catch (RunFailure e) {
            Log.warnf("run %s failed: %s", runId, e.getMessage());
            await(() -> runs.failed(runId, e.getMessage()));
        } catch (RuntimeException e) {
            Log.errorf(e, "run %s failed unexpectedly", runId);
            await(() -> runs.failed(runId, "internal error: " + e.getMessage()));
        } catch (Error e) {
            // A StackOverflowError leaves a healthy JVM: the run fails with its reason. After an OutOfMemoryError
            // (the JVM exits first where -XX:+ExitOnOutOfMemoryError is set) recording it may fail too; the run then
            // stops heartbeating once its executor is gone and is resumed elsewhere after compute.abandoned-after.
            Log.errorf(e, "run %s failed with %s", runId, e);
            await(() -> runs.failed(runId, "internal error: " + e));
        }
    }

    private RunOutcome compute(RunRecord run, AudienceState audience, List<ActivationState> activations) {
        DataGraph graph = json.read(audience.dataGraph, DataGraph.class);
        AudienceDefinition definition = json.read(audience.definition, AudienceDefinition.class);
        Instant runStart = run.startedAt;
        long extractStart = System.nanoTime();
        try (WarehouseSession c = warehouse.session(); WarehouseSession cursor = warehouse.session()) {
            MembershipSnapshots snapshots = new MembershipSnapshots(c, dialect, warehouse.snapshotSchema());
            List<ActivationState> firing = activations.stream().filter(ActivationState::fires).toList();
            long size;
            long extractingMs;
            MembershipSnapshots.ChangeCounts changes;
            if (run.approved) {
                // held, then approved: what it staged then is what was approved, and nothing else staged since
                // (a held run blocks the audience's other runs)
                size = run.audienceSize;
                changes = new MembershipSnapshots.ChangeCounts(run.profilesEntered, run.profilesExited);
                extractingMs = run.extractingMs;
            } else {
                Map<String, String> audienceIds = referencedAudienceIds(definition, snapshots);
                size = snapshots.stage(audience.id, run.id, compiler(graph, runStart, audienceIds).members(definition));
                snapshots.stageMatched(audience.id, compiler(graph, runStart, audienceIds)
                        .matchedEntities(definition, snapshots.candidateTable(), audience.id));
                changes = snapshots.changeCounts(audience.id);
                extractingMs = (System.nanoTime() - extractStart) / 1_000_000;
                String held = GuardRails.heldBecause(audience, firing, json, size, changes.entered(), changes.exited());
                if (held != null) {
                    throw new RunHeld(held, new RunOutcome(size, changes.entered(), changes.exited(), extractingMs, null));
                }
            }

            long prepareStart = System.nanoTime();
            checkpoint(run.id);
            RunRecord.MessageIdentity identity = await(() -> runs.messageIdentity(run.id));
            ActivationMessages.RunContext context = new ActivationMessages.RunContext(run.id, runStart, audience.id, audience.key,
                    identity.runId(), identity.runStart());
            ActivationEventPublisher.Publication publication = publisher.start();
            new RunEmission(snapshots, c, cursor, dialect, graph, json, context, publication, config.pageSize(), () -> checkpoint(run.id))
                    .emit(firing);
            publication.awaitAcknowledged();
            Long preparingMs = publication.sent() == 0 && changes.entered() == 0 && changes.exited() == 0 ? null : (System.nanoTime() - prepareStart) / 1_000_000;

            snapshots.promote(audience.id, run.id);
            markEmitted(firing, run.id);
            return new RunOutcome(size, changes.entered(), changes.exited(), extractingMs, preparingMs);
        } catch (SQLException e) {
            throw new RunFailure(WarehouseErrors.explain(e));
        }
    }

    private SqlCompiler compiler(DataGraph graph, Instant runStart, Map<String, String> audienceIds) {
        return new SqlCompiler(dialect, graph, runStart, audienceIds::get, warehouse.snapshotSchema());
    }

    /** The activations the run's request named whose announcement (or a later one) this service has not read yet. */
    private List<String> notYetRead(RunRecord run, List<ActivationState> activations) {
        if (run.awaitedActivations == null) {
            return List.of();
        }
        Map<String, Instant> awaited = json.read(run.awaitedActivations, new TypeReference<Map<String, Instant>>() {
        });
        Map<String, Instant> read = new HashMap<>();
        activations.forEach(a -> read.put(a.id, a.changedAt));
        return awaited.entrySet().stream()
                .filter(e -> read.get(e.getKey()) == null || read.get(e.getKey()).isBefore(e.getValue()))
                .map(Map.Entry::getKey).sorted().toList();
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

    private void markEmitted(List<ActivationState> firing, String runId) {
        List<String> pending = firing.stream().filter(a -> a.firstRunId == null).map(a -> a.id).toList();
        if (!pending.isEmpty()) {
            await(() -> Panache.withTransaction(() -> ActivationState.update("firstRunId = ?1 where id in ?2 and firstRunId is null", runId, pending)));
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

    /** The audience's guard rail holds the run before it publishes; the message says why. */
    static final class RunHeld extends RuntimeException {
        final RunOutcome staged;

        RunHeld(String reason, RunOutcome staged) {
            super(reason, null, false, false);
            this.staged = staged;
        }
    }

    /** A failure a person can act on; its message becomes the run's error. */
    static final class RunFailure extends RuntimeException {
        RunFailure(String message) {
            super(message);
        }
    }
}
