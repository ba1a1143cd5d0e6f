package dev.linkedaudiences.compute.conformance;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A conformance check an owner asked for: queued, running, completed (agreed or not) or failed (it could not run). */
@Entity
@Table(name = "conformance_check")
public class ConformanceCheckRecord extends PanacheEntityBase {
    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    @Id
    public String id;
    public String status;
    @Column(name = "scratch_schema")
    public String scratchSchema;
    public long seed;
    public int definitions;
    @Column(name = "requested_at")
    public Instant requestedAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    /** The compute-service instance that runs the check (checks run where they were asked for). */
    @Column(name = "executed_by")
    public String executedBy;
    /** Set once completed: whether every step agreed with the reference. */
    public Boolean agreed;
    /** JSON of the {@link ConformanceReport}, once completed. */
    public String report;
    public String error;
}
