package dev.linkedaudiences.delivery.activation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.contracts.event.ActivationChanged;
import dev.linkedaudiences.contracts.secret.SecretBox;
import dev.linkedaudiences.contracts.secret.SecretSettings;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The latest known state of an activation, as audience-service published it on activation-definitions.
 * {@code settings} holds the destination's secrets, sealed ({@link SecretSettings}, docs/adr/0008): they are opened
 * only to send, and this entity is never logged or returned.
 */
@Entity
@Table(name = "activation_state")
public class ActivationState extends PanacheEntityBase {
    public static final String VALID = "valid";

    @Id
    public String id;
    public String audienceId;
    public String audienceKey;
    public String trigger;
    public String eventName;
    public boolean enabled;
    public String status;
    public String destinationId;
    public String destinationType;
    public String action;
    /** JSON object of the destination settings, secrets sealed. */
    public String settings;
    public Instant changedAt;

    /** Why events of this activation are not sent (filtered at destination), or empty when they are. */
    public static Optional<String> filterReason(ActivationState activation) {
        if (activation == null) {
            return Optional.of("activation_unknown");
        }
        if (!activation.enabled) {
            return Optional.of("activation_disabled");
        }
        if (!VALID.equals(activation.status)) {
            return Optional.of("activation_not_valid: " + activation.status);
        }
        return Optional.empty();
    }

    /** A row of {@code activation_state} read by a plain SQL client (the dispatcher), not managed by Hibernate. */
    public static ActivationState of(io.vertx.mutiny.sqlclient.Row row) {
        ActivationState activation = new ActivationState();
        activation.id = row.getString("id");
        activation.audienceId = row.getString("audience_id");
        activation.audienceKey = row.getString("audience_key");
        activation.trigger = row.getString("trigger");
        activation.eventName = row.getString("event_name");
        activation.enabled = row.getBoolean("enabled");
        activation.status = row.getString("status");
        activation.destinationId = row.getString("destination_id");
        activation.destinationType = row.getString("destination_type");
        activation.action = row.getString("action");
        activation.settings = row.getString("settings");
        java.time.OffsetDateTime changed = row.getOffsetDateTime("changed_at");
        activation.changedAt = changed == null ? null : changed.toInstant();
        return activation;
    }

    /** The destination settings, secrets opened: only to send them. */
    public Map<String, String> settings(ObjectMapper json, SecretBox secrets) {
        return SecretSettings.opened(storedSettings(json), secrets);
    }

    /** The destination settings as stored, secrets sealed. */
    public Map<String, String> storedSettings(ObjectMapper json) {
        try {
            return json.readValue(settings, new TypeReference<>() { });
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Uni<Map<String, ActivationState>> byId(Collection<String> ids) {
        return ActivationState.<ActivationState>list("id in ?1", List.copyOf(ids))
                .map(all -> all.stream().collect(Collectors.toMap(a -> a.id, Function.identity())));
    }

    /**
     * Stores the change unless a newer one is already stored. An upsert with a guard rather than read-then-write,
     * so that a redelivered or out-of-order record never overwrites a newer state.
     */
    public static Uni<Void> apply(ActivationChanged change, String settingsJson, Instant changedAt) {
        ActivationChanged.Destination destination = change.destination();
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        insert into activation_state (id, audience_id, audience_key, trigger, event_name, enabled, status,
                                                      destination_id, destination_type, action, settings, changed_at)
                        values (:id, :audienceId, :audienceKey, :trigger, :eventName, :enabled, :status,
                                :destinationId, :destinationType, :action, :settings, :changedAt)
                        on conflict (id) do update set
                            audience_id = excluded.audience_id, audience_key = excluded.audience_key,
                            trigger = excluded.trigger, event_name = excluded.event_name, enabled = excluded.enabled,
                            status = excluded.status, destination_id = excluded.destination_id,
                            destination_type = excluded.destination_type, action = excluded.action,
                            settings = excluded.settings, changed_at = excluded.changed_at
                        where activation_state.changed_at <= excluded.changed_at""")
                        .setParameter("id", change.activationId())
                        .setParameter("audienceId", change.audienceId())
                        .setParameter("audienceKey", change.audienceKey())
                        .setParameter("trigger", change.trigger())
                        .setParameter("eventName", change.eventName())
                        .setParameter("enabled", change.enabled())
                        .setParameter("status", change.status())
                        .setParameter("destinationId", destination == null ? null : destination.destinationId())
                        .setParameter("destinationType", destination == null ? null : destination.type())
                        .setParameter("action", destination == null ? null : destination.action())
                        .setParameter("settings", settingsJson)
                        .setParameter("changedAt", changedAt)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** Forgets a deleted activation, unless what is stored is newer than the deletion. */
    public static Uni<Void> forget(String id, Instant deletedAt) {
        return delete("id = ?1 and changedAt <= ?2", id, deletedAt).replaceWithVoid();
    }
}
