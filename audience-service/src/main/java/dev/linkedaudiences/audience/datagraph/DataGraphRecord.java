package dev.linkedaudiences.audience.datagraph;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** The one stored data graph (id 1), as JSON including the catalog it was validated against. */
@Entity
@Table(name = "data_graph")
public class DataGraphRecord extends PanacheEntityBase {
    static final int THE_GRAPH = 1;
    @Id
    public Integer id;
    public String body;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
