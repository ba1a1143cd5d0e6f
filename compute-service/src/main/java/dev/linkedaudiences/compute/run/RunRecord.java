package dev.linkedaudiences.compute.run;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * One run of an audience: queued, running, succeeded, failed or canceled; or held by its audience's guard rail
 * ({@code awaiting_approval}) until approved (queued again, then running) or discarded.
 */
@Entity
@Table(name = "run")
public class RunRecord extends PanacheEntityBase {
    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String CANCELED = "canceled";
    public static final String AWAITING_APPROVAL = "awaiting_approval";
    public static final String DISCARDED = "discarded";
    /** The statuses of a run in flight, at most one per audience (the run_one_in_flight index): a held run blocks the next. */
    public static final String IN_FLIGHT = "('queued', 'running', 'awaiting_approval')";

    @Id
    public String id;
    @Column(name = "audience_id")
    public String audienceId;
    public String status;
    public String trigger;
    @Column(name = "queued_at")
    public Instant queuedAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Column(name = "queueing_ms")
    public Long queueingMs;
    @Column(name = "extracting_ms")
    public Long extractingMs;
    @Column(name = "preparing_ms")
    public Long preparingMs;
    @Column(name = "audience_size")
    public Long audienceSize;
    @Column(name = "profiles_entered")
    public Integer profilesEntered;
    @Column(name = "profiles_exited")
    public Integer profilesExited;
    public String error;
    @Column(name = "heartbeat_at")
    public Instant heartbeatAt;
    @Column(name = "result_published")
    public boolean resultPublished;
    public int attempts;
    @Column(name = "executed_by")
    public String executedBy;
    @Column(name = "cancel_requested")
    public boolean cancelRequested;
    /** The run whose id and start this run's message ids derive from (ADR 2); set when it first executes. */
    @Column(name = "message_run_id")
    public String messageRunId;
    @Column(name = "message_run_start")
    public Instant messageRunStart;

    /**
     * JSON of the activations the run was asked with ({@code RunRequested.activations}): id to the changedAt of
     * their announcement, which compute-service must have read before the run starts. Null when not asked for.
     */
    @Column(name = "awaited_activations")
    public String awaitedActivations;

    /** Why the guard rail held the run (awaiting_approval, and after it was approved or discarded). */
    @Column(name = "held_because")
    public String heldBecause;
    /** Who approved or discarded the held run, and when. */
    @Column(name = "resolved_by")
    public String resolvedBy;
    @Column(name = "resolved_at")
    public Instant resolvedAt;
    /** Approved after a hold: it publishes what it staged, without computing or checking again. */
    public boolean approved;

    /** The id and start a run's message ids are derived from. */
    public record MessageIdentity(String runId, Instant runStart) {
    }
}
