package dev.linkedaudiences.delivery.event;

import dev.linkedaudiences.contracts.event.ActivationEvent;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

/** Reads activation-events records (JSON) for the batch consumer. */
public class ActivationEventDeserializer extends ObjectMapperDeserializer<ActivationEvent> {
    public ActivationEventDeserializer() {
        super(ActivationEvent.class);
    }
}
