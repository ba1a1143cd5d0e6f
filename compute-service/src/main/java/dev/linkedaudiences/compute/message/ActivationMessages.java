package dev.linkedaudiences.compute.message;

import dev.linkedaudiences.compute.snapshot.ProfileChange;
import dev.linkedaudiences.compute.snapshot.WarehouseValues;
import dev.linkedaudiences.contracts.event.ActivationEvent;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the Segment-spec messages of events.md (track, or identify for membership_changed) for one change and one activation. */
public final class ActivationMessages {

    /** What a run knows when it emits: its id, start and audience. */
    public record RunContext(String runId, Instant runStart, String audienceId, String audienceKey) {
    }

    /** The activation fields a message depends on. */
    public record Activation(String id, String trigger, String eventName, List<String> traits) {
    }

    /** A profile trigger's message. */
    public static ActivationEvent event(RunContext run, Activation activation, ProfileChange change) {
        return event(run, activation, change, null, Map.of());
    }

    /**
     * A message; for an entity trigger, {@code entityKey} names the triggering entity and
     * {@code entityContext} (see {@code EntityContext}) joins the properties.
     */
    public static ActivationEvent event(RunContext run, Activation activation, ProfileChange change, String entityKey,
                                        Map<String, Object> entityContext) {
        Map<String, Object> message = envelope("track", run, activation, change, entityKey);
        message.put("event", activation.eventName());
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("audience_key", run.audienceKey());
        properties.putAll(enrichedTraits(activation, change));
        properties.putAll(entityContext);
        message.put("properties", properties);
        return new ActivationEvent(activation.id(), run.audienceId(), run.runId(), change.profileId(), activation.trigger(), message);
    }

    /**
     * The identify message of {@code membership_changed}: {@code traits} say whether the profile is now a member
     * ({@code "<audience_key>": true|false}) beside the enriched traits.
     */
    public static ActivationEvent identify(RunContext run, Activation activation, ProfileChange change, boolean member) {
        Map<String, Object> message = envelope("identify", run, activation, change, null);
        Map<String, Object> traits = new LinkedHashMap<>();
        traits.put(run.audienceKey(), member);
        traits.putAll(enrichedTraits(activation, change));
        message.put("traits", traits);
        return new ActivationEvent(activation.id(), run.audienceId(), run.runId(), change.profileId(), activation.trigger(), message);
    }

    /** What every message carries: type, stable messageId, the run's start as timestamp, identifiers, context. */
    private static Map<String, Object> envelope(String type, RunContext run, Activation activation, ProfileChange change, String entityKey) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", type);
        message.put("messageId", MessageIds.of(run.runStart(), activation.id(), activation.trigger(), change.profileId(), entityKey, run.runId()));
        message.put("timestamp", run.runStart().toString());
        if (change.userId() != null) {
            message.put("userId", change.userId());
        }
        Map<String, Object> traits = new LinkedHashMap<>();
        if (change.email() != null) {
            traits.put("email", change.email());
        }
        Map<String, Object> personas = new LinkedHashMap<>();
        personas.put("computation_class", "audience");
        personas.put("computation_id", run.audienceId());
        personas.put("computation_key", run.audienceKey());
        personas.put("computation_run_id", run.runId());
        personas.put("event_emitter_id", activation.id());
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("traits", traits);
        context.put("personas", personas);
        message.put("context", context);
        return message;
    }

    private static Map<String, Object> enrichedTraits(Activation activation, ProfileChange change) {
        Map<String, Object> traits = new LinkedHashMap<>();
        for (String trait : activation.traits()) {
            traits.put(trait, WarehouseValues.json(change.traits().get(trait)));
        }
        return traits;
    }

    private ActivationMessages() {
    }
}
