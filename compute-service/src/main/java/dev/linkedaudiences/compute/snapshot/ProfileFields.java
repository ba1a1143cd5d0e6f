package dev.linkedaudiences.compute.snapshot;

import java.util.List;

/**
 * What is read of each profile that messages are about: these traits, and either the smallest email identifier
 * or every one (for activations that send one message per email; an extra query, so only when asked).
 */
public record ProfileFields(List<String> traits, boolean everyEmail) {

    public static ProfileFields traits(List<String> traits) {
        return new ProfileFields(traits, false);
    }
}
