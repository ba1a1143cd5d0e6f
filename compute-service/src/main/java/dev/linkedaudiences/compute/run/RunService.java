package dev.linkedaudiences.compute.run;

import dev.linkedaudiences.compute.audience.AudienceState;
import dev.linkedaudiences.contracts.problem.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Run bookkeeping in PostgreSQL, the one place instances coordinate: at most one run in flight per audience
 * (a partial unique index) and at most {@code compute.max-concurrent-runs} running across all instances
 * (claims serialize on a transaction-scoped advisory lock).
 */
@ApplicationScoped
public class RunService {
    static final int HISTORY = 50;
    private static final long CLAIM_LOCK = 0x6c615f72756e73L; // "la_runs"

    /** Queues a run, or answers the run of this audience that is already in flight (queued, running or held). */
    public Uni<RunRecord> request(String audienceId, String trigger) {
        return request(audienceId, trigger, null);
    }

    /**
     * Queues a run that waits for these activations (JSON of id to changedAt, or null), or answers the run of this
     * audience that is already queued or running.
     */
    public Uni<RunRecord> request(String audienceId, String trigger, String awaitedActivations) {
        return Panache.withTransaction(() -> inFlight(audienceId).flatMap(existing -> {
            if (existing != null) {
                return Uni.createFrom().item(existing);
            }
            RunRecord run = new RunRecord();
            run.id = UUID.randomUUID().toString();
            run.audienceId = audienceId;
            run.status = RunRecord.QUEUED;
            run.trigger = trigger;
            run.queuedAt = Instant.now();
            run.awaitedActivations = awaitedActivations;
            return run.<RunRecord>persistAndFlush();
        })).onFailure(e -> isUniqueViolation(e)).recoverWithUni(() -> Panache.withSession(() -> inFlight(audienceId)));
    }

    /** Run Now: only for an audience this service knows and that is enabled. */
    public Uni<RunRecord> runNow(String audienceId) {
        return Panache.withSession(() -> AudienceState.<AudienceState>findById(audienceId)).flatMap(audience -> {
            if (audience == null) {
                return Uni.createFrom().failure(ApiException.invalid("/audienceId", "unknown audience '" + audienceId + "'"));
            }
            if (!audience.enabled) {
                return Uni.createFrom().failure(ApiException.conflict("audience '" + audience.key + "' is disabled; enable it to run"));
            }
            return request(audienceId, "manual");
        });
    }

    /**
     * Moves up to (cap - running) queued runs to running and answers them, oldest first. Runs whose heartbeat
     * is older than {@code abandonedAfter} lost their executor and go back to the queue first, keeping their
     * start: resumed, a run computes for the same instant and gives its events the same message ids, so an event
     * the dead executor already published reaches destinations as a duplicate they drop, never as a new event.
     */
    public Uni<List<String>> claim(int cap, Duration abandonedAfter, String executor) {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session
                .createNativeQuery("SELECT pg_advisory_xact_lock(" + CLAIM_LOCK + ")").getSingleResult()
                .flatMap(locked -> session.createNativeQuery("UPDATE run SET status = 'queued'"
                        + " WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => " + abandonedAfter.toSeconds() + ")")
                        .executeUpdate())
                .flatMap(requeued -> session.createNativeQuery("SELECT COUNT(*) FROM run WHERE status = 'running'", Long.class).getSingleResult())
                .flatMap(running -> {
                    long free = cap - running;
                    if (free <= 0) {
                        return Uni.createFrom().item(List.<String>of());
                    }
                    // clock_timestamp(), not now(): a claim that waited on the lock began before runs it now sees were queued
                    Mutiny.SelectionQuery<String> q = session.createNativeQuery(
                            "UPDATE run SET status = 'running', started_at = COALESCE(started_at, clock_timestamp()), heartbeat_at = clock_timestamp(),"
                                    + " attempts = attempts + 1, executed_by = :executor WHERE id IN (SELECT id FROM run WHERE status = 'queued'"
                                    + " ORDER BY queued_at LIMIT " + free + " FOR UPDATE SKIP LOCKED) RETURNING id", String.class);
                    return q.setParameter("executor", executor).getResultList();
                })));
    }

    /**
     * The id and start this run's message ids derive from, chosen when it first executes and kept when it is
     * resumed. A run takes over the identity of the audience's previous run when that one did not succeed: the
     * baseline is still the one that run diffed against, so the changes it may have published before it failed are
     * the same changes, and they keep their ids (ADR 2). A success ends the chain; the next run has its own.
     */
    public Uni<RunRecord.MessageIdentity> messageIdentity(String runId) {
        return Panache.withTransaction(() -> RunRecord.<RunRecord>findById(runId).flatMap(run -> {
            if (run.messageRunId != null) {
                return Uni.createFrom().item(new RunRecord.MessageIdentity(run.messageRunId, run.messageRunStart));
            }
            return RunRecord.<RunRecord>find("audienceId = ?1 and id <> ?2 and messageRunId is not null order by startedAt desc",
                    run.audienceId, run.id).firstResult().map(previous -> {
                boolean takeOver = previous != null && !RunRecord.SUCCEEDED.equals(previous.status);
                run.messageRunId = takeOver ? previous.messageRunId : run.id;
                run.messageRunStart = takeOver ? previous.messageRunStart : run.startedAt;
                return new RunRecord.MessageIdentity(run.messageRunId, run.messageRunStart);
            });
        }));
    }

    /** Tells other instances that these runs still have an executor. */
    public Uni<Void> heartbeat(java.util.Collection<String> runIds) {
        if (runIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> RunRecord.update("heartbeatAt = ?1 where id in ?2 and status = 'running'", Instant.now(), List.copyOf(runIds)))
                .replaceWithVoid();
    }

    /** Puts a claimed run back in the queue (its audience's definition has not arrived yet). */
    public Uni<Void> requeue(String runId) {
        return Panache.withTransaction(() -> RunRecord.<RunRecord>findById(runId).invoke(run -> {
            run.status = RunRecord.QUEUED;
            run.startedAt = null;
        })).replaceWithVoid();
    }

    public Uni<Void> succeeded(String runId, RunOutcome outcome) {
        return finish(runId, run -> {
            run.status = RunRecord.SUCCEEDED;
            run.audienceSize = outcome.audienceSize();
            run.profilesEntered = outcome.entered();
            run.profilesExited = outcome.exited();
            run.extractingMs = outcome.extractingMs();
            run.preparingMs = outcome.preparingMs();
        });
    }

    /**
     * Cancels a run: a queued one at once; a running one at its executor's next checkpoint (before it reads the
     * changes, before it publishes them). A run that already finished cannot be canceled.
     */
    public Uni<RunRecord> cancel(String runId) {
        return Panache.withTransaction(() -> RunRecord.<RunRecord>findById(runId).onItem().ifNull()
                .failWith(() -> ApiException.notFound("run " + runId)).invoke(run -> {
                    switch (run.status) {
                        case RunRecord.QUEUED -> {
                            run.status = RunRecord.CANCELED;
                            run.finishedAt = Instant.now();
                        }
                        case RunRecord.RUNNING -> run.cancelRequested = true;
                        default -> throw ApiException.conflict("run " + runId + " already " + run.status);
                    }
                }));
    }

    /** Whether someone asked to cancel this run while it runs. */
    public Uni<Boolean> cancelRequested(String runId) {
        return Panache.withSession(() -> RunRecord.<RunRecord>findById(runId)).map(run -> run == null || run.cancelRequested);
    }

    /**
     * The guard rail held the run after it staged its changes: it waits for a person, its counts and reason shown.
     * Not finished, so no result is published and the audience's next runs wait behind it.
     */
    public Uni<Void> held(String runId, RunOutcome staged, String reason) {
        return Panache.withTransaction(() -> RunRecord.<RunRecord>findById(runId).invoke(run -> {
            run.status = RunRecord.AWAITING_APPROVAL;
            run.audienceSize = staged.audienceSize();
            run.profilesEntered = staged.entered();
            run.profilesExited = staged.exited();
            run.extractingMs = staged.extractingMs();
            run.heldBecause = reason;
        })).replaceWithVoid();
    }

    /**
     * Approves a held run: it goes back to the queue and, claimed again, publishes the changes it staged (the ones
     * approved) under its own message ids, then promotes them, as an ordinary run does. 409 unless it is held.
     */
    public Uni<RunRecord> approve(String runId, String by) {
        return resolve(runId, by, run -> {
            run.status = RunRecord.QUEUED;
            run.approved = true;
        });
    }

    /** Ends a held run without publishing or promoting: the next run computes again from the same baseline. */
    public Uni<RunRecord> discard(String runId, String by) {
        return resolve(runId, by, run -> {
            run.status = RunRecord.DISCARDED;
            run.finishedAt = Instant.now();
            run.resultPublished = true; // nothing happened that anyone downstream needs to know about
        });
    }

    private Uni<RunRecord> resolve(String runId, String by, java.util.function.Consumer<RunRecord> change) {
        return Panache.withTransaction(() -> RunRecord.<RunRecord>findById(runId).onItem().ifNull()
                .failWith(() -> ApiException.notFound("run " + runId)).invoke(run -> {
                    if (!RunRecord.AWAITING_APPROVAL.equals(run.status)) {
                        throw ApiException.conflict("run " + runId + " is " + run.status + ", not awaiting approval");
                    }
                    change.accept(run);
                    run.resolvedBy = by;
                    run.resolvedAt = Instant.now();
                }));
    }

    public Uni<Void> canceled(String runId) {
        return finish(runId, run -> run.status = RunRecord.CANCELED);
    }

    public Uni<Void> failed(String runId, String error) {
        return finish(runId, run -> {
            run.status = RunRecord.FAILED;
            run.error = error;
        });
    }

    private Uni<Void> finish(String runId, java.util.function.Consumer<RunRecord> change) {
        return Panache.withTransaction(() -> RunRecord.<RunRecord>findById(runId).invoke(run -> {
            change.accept(run);
            run.finishedAt = Instant.now();
            run.queueingMs = run.startedAt == null ? null : Duration.between(run.queuedAt, run.startedAt).toMillis();
        })).replaceWithVoid();
    }

    @WithSession
    public Uni<List<RunRecord>> history(String audienceId) {
        return RunRecord.<RunRecord>find("audienceId = ?1 order by queuedAt desc", audienceId).range(0, HISTORY - 1).list();
    }

    @WithSession
    public Uni<RunRecord> get(String id) {
        return RunRecord.<RunRecord>findById(id).onItem().ifNull().failWith(() -> ApiException.notFound("run " + id));
    }

    public Uni<RunRecord> load(String id) {
        return Panache.withSession(() -> RunRecord.findById(id));
    }

    private static Uni<RunRecord> inFlight(String audienceId) {
        return RunRecord.find("audienceId = ?1 and status in " + RunRecord.IN_FLIGHT, audienceId).firstResult();
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("run_one_in_flight")) {
                return true;
            }
        }
        return false;
    }
}
