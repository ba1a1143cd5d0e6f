package dev.linkedaudiences.delivery.testevent;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Map;

/**
 * What a test event sent and what the destination answered.
 *
 * @param payload     the Segment message, as compute-service built it
 * @param destination the destination's answer
 */
@RegisterForReflection
public record TestEventResult(Map<String, Object> payload, Reply destination) {

    /**
     * @param status the HTTP status; null when no request went out (or none came back)
     * @param body   the reply body, as JSON when it is JSON, else as text; null without one
     * @param reason why it did not succeed, as the dead-letter store would say it; null on success
     */
    @RegisterForReflection
    public record Reply(Integer status, Object body, String reason) {
    }
}
