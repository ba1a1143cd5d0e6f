package dev.linkedaudiences.audience.audience;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An audience as stored; definition, schedule and guard rail are JSON text. Never leaves the service. */
@Entity
@Table(name = "audience")
public class AudienceRecord extends PanacheEntityBase {
    @Id
    public String id;
    public String key;
    public String name;
    public String description;
    public String definition;
    public String schedule;
    /** Null: runs publish whatever they change. */
    @Column(name = "guard_rail")
    public String guardRail;
    public boolean enabled;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
