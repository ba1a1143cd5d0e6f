package dev.linkedaudiences.alerting.alert;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A user's alert rule on one audience, with the state that makes a breach and its recovery announced once. */
@Entity
@Table(name = "alert_rule")
public class AlertRule extends PanacheEntityBase {
    public static final String AUDIENCE_SIZE_CHANGE = "audience_size_change";
    public static final String ACTIVATION_EVENT_HEALTH = "activation_event_health";
    public static final String IN_APP = "in_app";
    public static final String STATE_OK = "ok";
    public static final String STATE_BREACHED = "breached";

    @Id
    public UUID id;
    public String audienceId;
    public String type;
    public double thresholdPercent;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> channels;
    public String state;
    public Instant stateChangedAt;
    public String createdBy;
    public Instant createdAt;

    public static Uni<List<AlertRule>> ofAudience(String audienceId, String type) {
        return list("audienceId = ?1 and type = ?2 order by createdAt", audienceId, type);
    }
}
