package dev.linkedaudiences.delivery.event;

/**
 * An activation-events record ({@code ActivationEvent} of the contracts module) as the consumer stores it: the
 * envelope's fields, the message's id and name, and the message itself as the JSON text it arrived as, so that it
 * is stored (and sent to a webhook) without being built into objects and written again.
 *
 * @param eventName the track event's name; identify messages have none, so their type stands in
 */
public record ReceivedEvent(String activationId, String audienceId, String runId, String profileId, String trigger,
                            String filteredAtSource, String messageId, String eventName, String messageJson) {

    /** Whether the record can be stored at all: a null is a record that could not be read. */
    public static boolean usable(ReceivedEvent event) {
        return event != null && event.activationId != null && event.profileId != null && event.messageId != null
                && event.messageJson != null;
    }
}
