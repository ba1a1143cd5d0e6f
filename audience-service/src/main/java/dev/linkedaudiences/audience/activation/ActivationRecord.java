package dev.linkedaudiences.audience.activation;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An activation as stored; enrichment is JSON text. */
@Entity
@Table(name = "activation")
public class ActivationRecord extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "audience_id")
    public String audienceId;
    @Column(name = "destination_id")
    public String destinationId;
    public String action;
    public String trigger;
    @Column(name = "event_name")
    public String eventName;
    /** For entity triggers: the relationship whose matched entities it watches. */
    public String relationship;
    public String enrichment;
    /** The cap on each array of a message's entity context. */
    @Column(name = "max_entities_per_level")
    public int maxEntitiesPerLevel;
    /** JSON of the activation's GuardRail; null: none. */
    @Column(name = "guard_rail")
    public String guardRail;
    /** The {@code IdentifierStrategy} of its messages, by value. */
    public String identifiers;
    public boolean backfill;
    public boolean enabled;
    /** {@code valid}, or {@code invalid} with {@link #invalidReason}. */
    public String status;
    @Column(name = "invalid_reason")
    public String invalidReason;
    @Column(name = "created_at")
    public Instant createdAt;
    /** The {@code changedAt} of its last announcement on activation-definitions; run requests name it. */
    @Column(name = "announced_at")
    public Instant announcedAt;
}
