package dev.linkedaudiences.contracts.definition;

import dev.linkedaudiences.contracts.graph.DataType;

import java.util.Set;

/** Which filter operators each data type allows (audience-model.md, "Filter operators by data type"). */
public final class Operators {
    public static final Set<String> PRESENCE = Set.of("exists", "not_exists");
    private static final Set<String> ORDERED = Set.of("equals", "not_equals", "less_than", "greater_than",
            "less_than_or_equal", "greater_than_or_equal");
    private static final Set<String> TEXT = Set.of("equals", "not_equals", "contains", "not_contains",
            "starts_with", "ends_with");
    private static final Set<String> EQUALITY = Set.of("equals", "not_equals");

    /** Whether {@code op} is an operator of some data type. */
    public static boolean known(String op) {
        return op != null && (PRESENCE.contains(op) || ORDERED.contains(op) || TEXT.contains(op));
    }

    public static boolean allowed(DataType type, String op) {
        if (PRESENCE.contains(op)) {
            return true;
        }
        return switch (type) {
            case NUMBER, DATE, TIME, TIMESTAMP -> ORDERED.contains(op);
            case STRING -> TEXT.contains(op);
            case BOOLEAN -> EQUALITY.contains(op);
            case OTHER -> false;
        };
    }

    private Operators() {
    }
}
