package dev.linkedaudiences.compute.snapshot;

import java.util.Map;

/** A profile that entered or exited, with what the messages about it need: identifiers and enriched traits. */
public record ProfileChange(String profileId, String userId, String email, Map<String, Object> traits) {
}
