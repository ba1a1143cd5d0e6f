package dev.linkedaudiences.contracts;

/** The roles a bearer token carries in its {@code groups} claim (product.md). */
public final class Roles {
    public static final String WORKSPACE_OWNER = "workspace_owner";
    /** Builds and runs audiences, activations and alerts. */
    public static final String ENGAGE_USER = "engage_user";
    public static final String READ_ONLY = "read_only";

    private Roles() {
    }
}
