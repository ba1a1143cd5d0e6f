package dev.linkedaudiences.delivery.overview;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a replay did with the dead letters it matched: {@code replayed} went back to pending, {@code superseded}
 * stayed failed because a later event of the same profile and activation exists (reason {@code superseded by <id>}).
 */
@RegisterForReflection
public record Replayed(int replayed, int superseded) {
}
