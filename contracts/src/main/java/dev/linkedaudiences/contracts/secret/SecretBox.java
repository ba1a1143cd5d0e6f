package dev.linkedaudiences.contracts.secret;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The envelope of every secret at rest and on Kafka (docs/adr/0008): AES-256-GCM with a random 96-bit nonce, written
 * as {@code enc:v1:<keyId>:<base64url(nonce | ciphertext | tag)>}. The key id names the key that sealed it, and is
 * authenticated with it (the additional data is {@code enc:v1:<keyId>}), so a ciphertext cannot be passed off as
 * another key's.
 * <p>
 * Keys come from {@code secrets.keys} (see {@link SecretBoxProducer}): a list of {@code <keyId>:<base64 of 32 bytes>}
 * whose first entry is the current key. New values are sealed with the current key; a value sealed with any listed
 * key opens. Rotating means putting a new key first and keeping the old ones until every value was sealed again
 * ({@link #reseal}; the services do it at start).
 * <p>
 * A value without the prefix is a legacy plain value (stored before secrets were sealed): {@link #open} answers it as
 * it is, {@link #reseal} seals it.
 */
public final class SecretBox {
    public static final String PREFIX = "enc:v1:";
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String currentKeyId;
    private final Map<String, SecretKey> keys;

    private SecretBox(String currentKeyId, Map<String, SecretKey> keys) {
        this.currentKeyId = currentKeyId;
        this.keys = keys;
    }

    /**
     * The box of these keys, the first one current.
     *
     * @param entries {@code <keyId>:<base64 of a 32-byte key>}, e.g. {@code k2:...,k1:...}
     * @throws IllegalArgumentException when there is none or one is malformed (the message never holds a key)
     */
    public static SecretBox of(List<String> entries) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        for (String entry : entries) {
            String trimmed = entry == null ? "" : entry.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            String id = colon < 0 ? "" : trimmed.substring(0, colon);
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("secrets.keys: each entry is <keyId>:<base64 key>, keyId of [A-Za-z0-9_-]{1,32}");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(trimmed.substring(colon + 1).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("secrets.keys: the key " + id + " is not base64");
            }
            if (key.length != 32) {
                throw new IllegalArgumentException("secrets.keys: the key " + id + " must be 32 bytes (AES-256), it is " + key.length);
            }
            if (keys.putIfAbsent(id, new SecretKeySpec(key, "AES")) != null) {
                throw new IllegalArgumentException("secrets.keys: the key id " + id + " is listed twice");
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("secrets.keys: at least one key is required");
        }
        return new SecretBox(keys.keySet().iterator().next(), Map.copyOf(keys));
    }

    /** A new random key as {@code secrets.keys} takes it: {@code <keyId>:<base64>}. */
    public static String newKey(String keyId) {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return keyId + ":" + Base64.getEncoder().encodeToString(key);
    }

    public String currentKeyId() {
        return currentKeyId;
    }

    /** Whether {@code value} is an envelope (of any key), not a plain value. */
    public static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /** {@code plaintext} sealed with the current key; null stays null. */
    public String seal(String plaintext) {
        if (plaintext == null) {
            return null;
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(header(currentKeyId));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            ByteBuffer out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed);
            return PREFIX + currentKeyId + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * The plaintext of an envelope, or a legacy plain value as it is; null stays null.
     *
     * @throws SecretException when the envelope is malformed, names a key not configured, or was tampered with
     */
    public String open(String value) {
        if (!isSealed(value)) {
            return value;
        }
        String rest = value.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        if (colon < 0) {
            throw new SecretException("a sealed secret without a key id");
        }
        String keyId = rest.substring(0, colon);
        SecretKey key = keys.get(keyId);
        if (key == null) {
            throw new SecretException("a secret is sealed with the key " + keyId + ", which secrets.keys does not list");
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(rest.substring(colon + 1));
            if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
                throw new SecretException("a sealed secret too short to be one");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(header(keyId));
            return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new SecretException("a secret sealed with the key " + keyId + " does not open with it (altered, or another key of that id)");
        } catch (IllegalArgumentException e) {
            throw new SecretException("a sealed secret that is not base64url");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** Whether {@code value} needs {@link #reseal}: a plain value, or one sealed with another key than the current. */
    public boolean needsReseal(String value) {
        return value != null && !(isSealed(value) && value.startsWith(PREFIX + currentKeyId + ":"));
    }

    /** {@code value} sealed with the current key: a plain value is sealed, another key's envelope is opened and sealed again. */
    public String reseal(String value) {
        return needsReseal(value) ? seal(open(value)) : value;
    }

    private static byte[] header(String keyId) {
        return (PREFIX + keyId).getBytes(StandardCharsets.UTF_8);
    }

    /** Never the keys. */
    @Override
    public String toString() {
        return "SecretBox[current=" + currentKeyId + ", keys=" + keys.keySet() + "]";
    }
}
