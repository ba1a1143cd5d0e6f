package dev.linkedaudiences.compute.run;

import dev.linkedaudiences.contracts.definition.AudienceDefinition;
import dev.linkedaudiences.contracts.definition.Condition;

import java.util.Set;
import java.util.TreeSet;

/** The audiences a definition's {@code audience} conditions name. */
final class AudienceReferences {

    static Set<String> keys(AudienceDefinition definition) {
        Set<String> keys = new TreeSet<>();
        definition.groups().forEach(g -> g.conditions().stream()
                .filter(c -> Condition.AUDIENCE.equals(c.type()))
                .forEach(c -> keys.add(c.audience())));
        return keys;
    }

    private AudienceReferences() {
    }
}
