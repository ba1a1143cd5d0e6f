package dev.linkedaudiences.delivery.overview;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** How many dead letters a replay put back to pending. */
@RegisterForReflection
public record Replayed(int replayed) {
}
