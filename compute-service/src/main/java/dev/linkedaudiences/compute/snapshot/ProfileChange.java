package dev.linkedaudiences.compute.snapshot;

import java.util.List;
import java.util.Map;

/**
 * A profile that entered or exited, with what the messages about it need: identifiers and enriched traits.
 * {@code emails} are in the warehouse's order of values: only the smallest unless every email was asked for
 * ({@link ProfileFields#everyEmail()}).
 */
public record ProfileChange(String profileId, String userId, List<String> emails, Map<String, Object> traits) {

    /** The smallest email, which a message carries unless its activation sends one message per email. */
    public String email() {
        return emails.isEmpty() ? null : emails.get(0);
    }
}
