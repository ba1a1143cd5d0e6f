package dev.linkedaudiences.compute.snapshot;

/** A (profile, entity) pair of one relationship that appeared among or disappeared from the matched entities. */
public record EntityChange(ProfileChange profile, String entityKey) {
}
