package dev.linkedaudiences.audience.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/** Adds records to the outbox; call it inside the transaction that makes the change. */
@ApplicationScoped
public class Outbox {
    private final ObjectMapper json;

    public Outbox(ObjectMapper json) {
        this.json = json;
    }

    public Uni<Void> add(String topic, String key, Object payload) {
        OutboxRecord record = new OutboxRecord();
        record.topic = topic;
        record.messageKey = key;
        record.createdAt = Instant.now();
        try {
            record.payload = json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return record.persist().replaceWithVoid();
    }
}
