package dev.linkedaudiences.compute.audience;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** The latest announcement of an audience, as compute-service needs it to run. */
@Entity
@Table(name = "audience_state")
public class AudienceState extends PanacheEntityBase {
    @Id
    public String id;
    public String key;
    public boolean enabled;
    /** JSON of the definition. */
    public String definition;
    /** JSON of the data graph the definition was validated against. */
    @Column(name = "data_graph")
    public String dataGraph;
    public String schedule;
    /** JSON of the audience's GuardRail; null: runs publish whatever they change. */
    @Column(name = "guard_rail")
    public String guardRail;
    /** When the schedule next fires; null when manual or disabled. */
    @Column(name = "next_run_at")
    public Instant nextRunAt;
    @Column(name = "changed_at")
    public Instant changedAt;
}
