package dev.linkedaudiences.compute.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.compute.activation.ActivationState;
import dev.linkedaudiences.compute.snapshot.ProfileChange;
import dev.linkedaudiences.compute.snapshot.WarehouseValues;
import dev.linkedaudiences.contracts.event.ActivationChanged;
import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.contracts.event.IdentifierStrategy;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the Segment-spec messages of events.md (track, or identify for membership_changed) for one change and one
 * activation: one message, or one per email under {@link IdentifierStrategy#EACH_EMAIL}. Every message is checked
 * against the 32 KB limit here, so runs and on-demand messages agree on what is too large.
 */
public final class ActivationMessages {
    /** events.md: a message is 32 KB at most, counted as the UTF-8 bytes of its JSON. */
    public static final int MAX_MESSAGE_BYTES = 32 * 1024;
    public static final String PAYLOAD_TOO_LARGE = "payload_too_large";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a run knows when it emits: its id, start and audience, and the run whose id and start its message ids are
     * derived from: its own, or that of the failed run whose changes it takes over (ADR 2), so that a change
     * published before a failure is published again under the same id.
     */
    public record RunContext(String runId, Instant runStart, String audienceId, String audienceKey, String messageRunId,
                             Instant messageRunStart) {

        /** A run whose message ids are its own. */
        public RunContext(String runId, Instant runStart, String audienceId, String audienceKey) {
            this(runId, runStart, audienceId, audienceKey, runId, runStart);
        }
    }

    /** The activation fields a message depends on. */
    public record Activation(String id, String trigger, String eventName, List<String> traits, IdentifierStrategy identifiers) {

        public static Activation of(ActivationState state, ActivationChanged.Enrichment enrichment) {
            return new Activation(state.id, state.trigger, state.eventName, enrichment.traitsOrEmpty(),
                    IdentifierStrategy.of(state.identifiers).orElseThrow(() -> new IllegalStateException(
                            "activation " + state.id + " has identifiers '" + state.identifiers + "', which this version does not know")));
        }
    }

    /** Who one message is addressed to; either may be null. */
    private record Address(String userId, String email) {
    }

    /** A profile trigger's messages, without enriched relationships. */
    public static List<ActivationEvent> events(RunContext run, Activation activation, ProfileChange change) {
        return events(run, activation, change, null, Map.of());
    }

    /**
     * The messages of a track trigger; {@code entityContext} (see {@code EntityContext}) joins the properties: for an
     * entity trigger, the context of the triggering entity, which {@code entityKey} names; for a profile trigger
     * ({@code entityKey} null), its enriched relationships.
     */
    public static List<ActivationEvent> events(RunContext run, Activation activation, ProfileChange change, String entityKey,
                                               Map<String, Object> entityContext) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(ActivationEvent.AUDIENCE_KEY_PROPERTY, run.audienceKey());
        properties.putAll(enrichedTraits(activation, change));
        properties.putAll(entityContext);
        List<ActivationEvent> events = new ArrayList<>();
        for (Address address : addresses(activation.identifiers(), change)) {
            Map<String, Object> message = envelope("track", run, activation, change, entityKey, address);
            message.put("event", activation.eventName());
            message.put("properties", properties);
            events.add(checked(run, activation, change, message));
        }
        return events;
    }

    /**
     * The identify messages of {@code membership_changed}: {@code traits} say whether the profile is now a member
     * ({@code "<audience_key>": true|false}) beside the enriched traits.
     */
    public static List<ActivationEvent> identifies(RunContext run, Activation activation, ProfileChange change, boolean member) {
        Map<String, Object> traits = new LinkedHashMap<>();
        traits.put(run.audienceKey(), member);
        traits.putAll(enrichedTraits(activation, change));
        List<ActivationEvent> events = new ArrayList<>();
        for (Address address : addresses(activation.identifiers(), change)) {
            Map<String, Object> message = envelope("identify", run, activation, change, null, address);
            message.put("traits", traits);
            events.add(checked(run, activation, change, message));
        }
        return events;
    }

    /**
     * The event as it goes on activation-events: one filtered at source keeps only its envelope (its messageId,
     * identifiers and context, without properties or traits), so that an oversized message does not make an
     * oversized Kafka record; it is never sent, only counted.
     */
    public static ActivationEvent forTransport(ActivationEvent event) {
        if (event.filteredAtSource() == null) {
            return event;
        }
        Map<String, Object> envelope = new LinkedHashMap<>(event.message());
        envelope.remove("properties");
        envelope.remove("traits");
        return new ActivationEvent(event.activationId(), event.audienceId(), event.runId(), event.profileId(), event.trigger(),
                envelope, event.filteredAtSource());
    }

    /** The message as an event, filtered at source as {@code payload_too_large} when it is over 32 KB. */
    private static ActivationEvent checked(RunContext run, Activation activation, ProfileChange change, Map<String, Object> message) {
        return new ActivationEvent(activation.id(), run.audienceId(), run.runId(), change.profileId(), activation.trigger(), message,
                jsonBytes(message) > MAX_MESSAGE_BYTES ? PAYLOAD_TOO_LARGE : null);
    }

    static int jsonBytes(Map<String, Object> message) {
        try {
            return JSON.writeValueAsBytes(message).length;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The addresses of a profile's messages under the strategy: one, or one per email (one without when it has none). */
    private static List<Address> addresses(IdentifierStrategy strategy, ProfileChange change) {
        return switch (strategy) {
            case USER_ID_AND_EMAIL -> List.of(new Address(change.userId(), change.email()));
            case USER_ID -> List.of(new Address(change.userId(), null));
            case EMAIL -> List.of(new Address(null, change.email()));
            case EACH_EMAIL -> change.emails().isEmpty() ? List.of(new Address(change.userId(), null))
                    : change.emails().stream().map(email -> new Address(change.userId(), email)).toList();
        };
    }

    /** What every message carries: type, stable messageId, the run's start as timestamp, identifiers, context. */
    private static Map<String, Object> envelope(String type, RunContext run, Activation activation, ProfileChange change,
                                                String entityKey, Address address) {
        // only each_email's messages need their email to tell them apart; every other id stays as it always was
        String distinguishingEmail = activation.identifiers() == IdentifierStrategy.EACH_EMAIL ? address.email() : null;
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", type);
        message.put("messageId", MessageIds.of(run.messageRunStart(), activation.id(), activation.trigger(), change.profileId(), entityKey,
                run.messageRunId(), distinguishingEmail));
        message.put("timestamp", run.runStart().toString());
        if (address.userId() != null) {
            message.put("userId", address.userId());
        }
        Map<String, Object> traits = new LinkedHashMap<>();
        if (address.email() != null) {
            traits.put("email", address.email());
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
