package dev.linkedaudiences.audience.destination;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/** A destination as the API shows it: settings without secrets, and which secrets are set. */
public record DestinationView(String id, String name, String type, Map<String, String> settings,
                              Set<String> secretsSet, Instant createdAt) {
}
