package dev.linkedaudiences.contracts.graph;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A warehouse table or view the graph can reach, identified by an immutable slug. */
@RegisterForReflection
public record EntityType(String slug, String name, String table, String primaryKey) {
}
