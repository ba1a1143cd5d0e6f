package dev.linkedaudiences.audience.activation;

import java.util.Map;

/** The triggers an activation can fire on today, with their default event names (events.md). */
final class Triggers {
    static final Map<String, String> DEFAULT_EVENT_NAMES = Map.of(
            "profile_entered", "Audience Entered",
            "profile_exited", "Audience Exited");

    private Triggers() {
    }
}
