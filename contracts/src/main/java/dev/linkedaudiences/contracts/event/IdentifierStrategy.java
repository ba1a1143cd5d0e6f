package dev.linkedaudiences.contracts.event;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which identifiers an activation's messages carry (events.md, "The message"): {@code userId} is the profile's
 * {@code user_id} identifier, {@code context.traits.email} its {@code email} identifier. When a profile has
 * several of one type, the smallest value is used, so a profile's messages are addressed alike from run to run.
 * On the wire and in the API the strategy is its lower-case name ({@code user_id_and_email}).
 */
public enum IdentifierStrategy {
    /** userId and the smallest email: one message per profile. The default. */
    USER_ID_AND_EMAIL,
    /** userId only. */
    USER_ID,
    /** The smallest email only. */
    EMAIL,
    /**
     * One message per email of the profile, each with userId and that email (one without email when the profile
     * has none). Each message's id is derived from its email as well, so it is as stable as the others.
     */
    EACH_EMAIL;

    public static final IdentifierStrategy DEFAULT = USER_ID_AND_EMAIL;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<IdentifierStrategy> of(String value) {
        return Arrays.stream(values()).filter(s -> s.value().equals(value)).findFirst();
    }

    /** The values the API accepts, in declaration order. */
    public static List<String> allValues() {
        return Arrays.stream(values()).map(IdentifierStrategy::value).toList();
    }
}
