package dev.linkedaudiences.contracts.secret;

/** A sealed secret that cannot be opened: malformed, altered, or sealed with a key that is not configured. */
public class SecretException extends RuntimeException {
    public SecretException(String message) {
        super(message);
    }
}
