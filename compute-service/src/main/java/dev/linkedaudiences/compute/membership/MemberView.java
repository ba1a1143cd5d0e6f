package dev.linkedaudiences.compute.membership;

/** A member of an audience as of its last successful run, and the run in which it entered. */
public record MemberView(String profileId, String runId) {
}
