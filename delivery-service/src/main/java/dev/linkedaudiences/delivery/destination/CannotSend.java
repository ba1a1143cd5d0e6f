package dev.linkedaudiences.delivery.destination;

/**
 * A destination cannot send an activation's messages at all (an action it does not have, a missing or invalid
 * setting, a URL the policy refuses): every message fails with {@link #getMessage()} as its reason, unsent.
 */
public class CannotSend extends RuntimeException {
    public CannotSend(String reason) {
        super(reason, null, false, false);
    }
}
