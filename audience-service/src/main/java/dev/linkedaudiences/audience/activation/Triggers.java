package dev.linkedaudiences.audience.activation;

import java.util.Map;

/**
 * The triggers an activation can fire on, with their default event names (events.md). {@code membership_changed}
 * sends identify messages, which have no event name: its activations show {@code identify}, the name the delivery
 * overview files identify messages under.
 */
final class Triggers {
    static final String IDENTIFY = "membership_changed";
    static final Map<String, String> DEFAULT_EVENT_NAMES = Map.of(
            "profile_entered", "Audience Entered",
            "profile_exited", "Audience Exited",
            "entity_entered", "Entity Added",
            "entity_exited", "Entity Removed",
            IDENTIFY, "identify");

    /** Triggers that watch the matched entities of one relationship. */
    static boolean watchesEntities(String trigger) {
        return trigger != null && trigger.startsWith("entity_");
    }

    /** Profile triggers whose track messages can carry the profile's matched entities of enriched relationships. */
    static boolean enrichesRelationships(String trigger) {
        return "profile_entered".equals(trigger) || "profile_exited".equals(trigger);
    }

    private Triggers() {
    }
}
