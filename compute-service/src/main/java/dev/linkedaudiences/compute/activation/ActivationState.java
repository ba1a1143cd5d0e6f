package dev.linkedaudiences.compute.activation;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** The latest announcement of an activation: which changes it turns into events, and how they are enriched. */
@Entity
@Table(name = "activation_state")
public class ActivationState extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "audience_id")
    public String audienceId;
    public String trigger;
    @Column(name = "event_name")
    public String eventName;
    /** For entity triggers: the relationship whose matched entities it watches. */
    public String relationship;
    /** JSON of {@code ActivationChanged.Enrichment}. */
    public String enrichment;
    /** The cap on each array of an entity-trigger message's context. */
    @Column(name = "max_entities_per_level")
    public int maxEntitiesPerLevel;
    /** JSON of the activation's GuardRail; null: none. */
    @Column(name = "guard_rail")
    public String guardRail;
    /** The {@code IdentifierStrategy} of its messages, by value. */
    public String identifiers;
    public boolean backfill;
    public boolean enabled;
    public String status;
    /** The first successful run that emitted this activation's events; null until then (backfill pending). */
    @Column(name = "first_run_id")
    public String firstRunId;
    @Column(name = "changed_at")
    public Instant changedAt;

    public boolean fires() {
        return enabled && "valid".equals(status);
    }
}
