package dev.linkedaudiences.compute.membership;

/** A member of an audience as of its last successful run. */
public record MemberView(String profileId, String runId) {
}
