package dev.linkedaudiences.alerting.runresult;

import dev.linkedaudiences.contracts.event.RunCompleted;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A finished run of an audience, as compute-service announced it on run-results. */
@Entity
@Table(name = "run_result")
public class RunResult extends PanacheEntityBase {
    public static final String SUCCEEDED = "succeeded";

    @Id
    public String runId;
    public String audienceId;
    public String audienceKey;
    public String status;
    public Long audienceSize;
    public Integer profilesEntered;
    public Integer profilesExited;
    public String error;
    public Instant startedAt;
    public Instant finishedAt;
    public Instant receivedAt;

    /**
     * Stores {@code run} unless its run id is already stored, and answers whether it was new. ON CONFLICT rather
     * than find-then-persist, so that a redelivery racing the first delivery (a consumer rebalance) is a no-op too.
     */
    public static Uni<Boolean> storeOnce(RunCompleted run) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        insert into run_result (run_id, audience_id, audience_key, status, audience_size, profiles_entered,
                                                profiles_exited, error, started_at, finished_at, received_at)
                        values (:runId, :audienceId, :audienceKey, :status, :audienceSize, :profilesEntered,
                                :profilesExited, :error, :startedAt, :finishedAt, :receivedAt)
                        on conflict (run_id) do nothing""")
                .setParameter("runId", run.runId())
                .setParameter("audienceId", run.audienceId())
                .setParameter("audienceKey", run.audienceKey())
                .setParameter("status", run.status())
                .setParameter("audienceSize", run.audienceSize())
                .setParameter("profilesEntered", run.profilesEntered())
                .setParameter("profilesExited", run.profilesExited())
                .setParameter("error", run.error())
                .setParameter("startedAt", run.startedAt())
                .setParameter("finishedAt", run.finishedAt())
                .setParameter("receivedAt", Instant.now())
                .executeUpdate())
                .map(inserted -> inserted == 1);
    }

    /** The latest successful run of the audience that finished at or before {@code at}, or null. */
    public static Uni<RunResult> latestSucceededAtOrBefore(String audienceId, Instant at) {
        return find("audienceId = ?1 and status = ?2 and audienceSize is not null and finishedAt <= ?3 order by finishedAt desc",
                audienceId, SUCCEEDED, at).firstResult();
    }

    /** The oldest successful run of the audience that finished before {@code at}, or null. */
    public static Uni<RunResult> oldestSucceededBefore(String audienceId, Instant at) {
        return find("audienceId = ?1 and status = ?2 and audienceSize is not null and finishedAt < ?3 order by finishedAt",
                audienceId, SUCCEEDED, at).firstResult();
    }
}
