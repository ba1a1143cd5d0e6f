package dev.linkedaudiences.audience.destination;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A configured destination instance; settings (JSON) include secrets and never leave the service as such. */
@Entity
@Table(name = "destination")
public class DestinationRecord extends PanacheEntityBase {
    @Id
    public String id;
    public String name;
    public String type;
    public String settings;
    @Column(name = "created_at")
    public Instant createdAt;
}
