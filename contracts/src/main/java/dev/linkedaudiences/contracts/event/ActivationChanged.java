package dev.linkedaudiences.contracts.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An activation was created, changed or deleted; published on activation-definitions. It carries the
 * destination settings, because delivery-service needs them to send; their secrets are sealed
 * ({@code secret/SecretSettings}, docs/adr/0008), and only delivery-service, which holds the keys, opens them. {@code relationship} names the relationship whose
 * matched entities an {@code entity_entered}/{@code entity_exited} trigger watches (null for profile triggers).
 * {@code maxEntitiesPerLevel} caps each array of a message's entity context; {@code identifiers} is the
 * {@link IdentifierStrategy} of its messages. Both are null in records announced before they existed, which
 * means their defaults. {@code guardRail} (null: none) holds a run whose changes this activation would send
 * exceed it, as an audience's does.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActivationChanged(String activationId, String audienceId, String audienceKey, String trigger,
                                String eventName, String relationship, Enrichment enrichment, Integer maxEntitiesPerLevel,
                                String identifiers, boolean backfill, boolean enabled, String status, boolean deleted,
                                Destination destination, Instant changedAt, GuardRail guardRail) {
    /** events.md: arrays hold 10 entities per level unless the activation says otherwise, and at most 100. */
    public static final int DEFAULT_MAX_ENTITIES_PER_LEVEL = 10;
    public static final int MAX_ENTITIES_PER_LEVEL = 100;

    /** An activation with the default array cap and identifier strategy. */
    public ActivationChanged(String activationId, String audienceId, String audienceKey, String trigger, String eventName,
                             String relationship, Enrichment enrichment, boolean backfill, boolean enabled, String status,
                             boolean deleted, Destination destination, Instant changedAt) {
        this(activationId, audienceId, audienceKey, trigger, eventName, relationship, enrichment, null, null, backfill,
                enabled, status, deleted, destination, changedAt, null);
    }

    public int maxEntitiesPerLevelOrDefault() {
        return maxEntitiesPerLevel == null ? DEFAULT_MAX_ENTITIES_PER_LEVEL : maxEntitiesPerLevel;
    }

    public String identifiersOrDefault() {
        return identifiers == null ? IdentifierStrategy.DEFAULT.value() : identifiers;
    }

    /**
     * What the message carries besides identifiers: which profile traits become top-level properties, which
     * relationships a profile trigger's message carries as arrays of the profile's matched entities
     * ({@code relationships}, by slug), and which columns of the entities of each relationship its entity context
     * holds ({@code entityColumns}, by relationship slug; a relationship it does not name keeps every column).
     * Null fields, as in records written before they existed, mean none.
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Enrichment(List<String> traits, Map<String, List<String>> entityColumns, List<String> relationships) {

        public Enrichment(List<String> traits) {
            this(traits, null, null);
        }

        public Enrichment(List<String> traits, Map<String, List<String>> entityColumns) {
            this(traits, entityColumns, null);
        }

        public List<String> traitsOrEmpty() {
            return traits == null ? List.of() : traits;
        }

        public List<String> relationshipsOrEmpty() {
            return relationships == null ? List.of() : relationships;
        }

        public Map<String, List<String>> entityColumnsOrEmpty() {
            return entityColumns == null ? Map.of() : entityColumns;
        }

        /**
         * The columns an entity of {@code relationship} shows in a message: its primary key (always, it names the
         * entity), then the selected ones; empty when the relationship has no selection, meaning every column.
         */
        public Optional<List<String>> columnsOf(String relationship, String primaryKey) {
            List<String> selected = entityColumnsOrEmpty().get(relationship);
            if (selected == null) {
                return Optional.empty();
            }
            List<String> columns = new ArrayList<>(List.of(primaryKey));
            selected.stream().filter(column -> !columns.contains(column)).forEach(columns::add);
            return Optional.of(columns);
        }
    }

    /** A configured destination instance and the action this activation performs on it. */
    @RegisterForReflection
    public record Destination(String destinationId, String type, String action, Map<String, String> settings) {
    }
}
