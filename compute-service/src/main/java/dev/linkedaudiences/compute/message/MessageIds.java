package dev.linkedaudiences.compute.message;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

/**
 * Stable message ids shaped like a ULID (events.md): 10 Crockford base32 characters of the run's start in
 * milliseconds, then 16 characters (80 bits) of a SHA-256 of what identifies the event. The same event
 * produced again (after a crash) gets the same id, so destinations that deduplicate on it do. One of the
 * per-email messages of {@code each_email} activations hashes its email too; no other message does, so the ids
 * of every other message are what they were before that strategy existed.
 */
public final class MessageIds {
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    public static String of(Instant runStart, String activationId, String trigger, String profileId, String entityKey,
                            String runId) {
        return of(runStart, activationId, trigger, profileId, entityKey, runId, null);
    }

    /** @param email the email of one message of several for the profile, or null */
    public static String of(Instant runStart, String activationId, String trigger, String profileId, String entityKey,
                            String runId, String email) {
        String identity = String.join("\u0000", activationId, trigger, profileId, entityKey == null ? "" : entityKey, runId);
        StringBuilder id = new StringBuilder(26);
        long millis = runStart.toEpochMilli();
        for (int i = 9; i >= 0; i--) {
            id.append(CROCKFORD[(int) ((millis >>> (5 * i)) & 31)]);
        }
        byte[] hash = sha256(email == null ? identity : identity + "\u0000" + email);
        // 80 bits = 16 characters of 5 bits, read from the first 10 bytes
        long high = 0;
        for (int i = 0; i < 5; i++) {
            high = (high << 8) | (hash[i] & 0xff);
        }
        long low = 0;
        for (int i = 5; i < 10; i++) {
            low = (low << 8) | (hash[i] & 0xff);
        }
        for (long part : new long[]{high, low}) {
            for (int i = 7; i >= 0; i--) {
                id.append(CROCKFORD[(int) ((part >>> (5 * i)) & 31)]);
            }
        }
        return id.toString();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private MessageIds() {
    }
}
