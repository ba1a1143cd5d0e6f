package dev.linkedaudiences.contracts.secret;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretBoxTest {
    private static final String K1 = SecretBox.newKey("k1");
    private static final String K2 = SecretBox.newKey("k2");

    @Test
    void sealsWithTheCurrentKeyAndOpens() {
        SecretBox box = SecretBox.of(List.of(K1));
        String sealed = box.seal("MARKER-api-key");
        assertTrue(sealed.startsWith("enc:v1:k1:"), sealed);
        assertFalse(sealed.contains("MARKER"));
        assertNotEquals(sealed, box.seal("MARKER-api-key"), "a fresh nonce each time");
        assertEquals("MARKER-api-key", box.open(sealed));
    }

    @Test
    void rotationNewWritesUseTheNewKeyOldCiphertextsStillOpen() {
        String old = SecretBox.of(List.of(K1)).seal("s3cret");
        SecretBox rotated = SecretBox.of(List.of(K2, K1));
        assertEquals("k2", rotated.currentKeyId());
        assertEquals("s3cret", rotated.open(old));
        assertTrue(rotated.needsReseal(old));
        String resealed = rotated.reseal(old);
        assertTrue(resealed.startsWith("enc:v1:k2:"), resealed);
        assertFalse(rotated.needsReseal(resealed));
        assertEquals("s3cret", SecretBox.of(List.of(K2)).open(resealed), "the old key can then be dropped");
        assertThrows(SecretException.class, () -> SecretBox.of(List.of(K2)).open(old), "an unlisted key does not open");
    }

    @Test
    void aPlainValueIsLegacyReadAsItIsAndSealedOnReseal() {
        SecretBox box = SecretBox.of(List.of(K1));
        assertEquals("plain", box.open("plain"));
        assertTrue(box.needsReseal("plain"));
        assertEquals("plain", box.open(box.reseal("plain")));
        assertEquals(null, box.open(null));
    }

    @Test
    void anAlteredCiphertextOrARelabelledKeyIdDoesNotOpen() {
        SecretBox box = SecretBox.of(List.of(K1, K2));
        String sealed = box.seal("s3cret");
        char last = sealed.charAt(sealed.length() - 2);
        String altered = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A') + sealed.charAt(sealed.length() - 1);
        assertThrows(SecretException.class, () -> box.open(altered));
        assertThrows(SecretException.class, () -> box.open(sealed.replace("enc:v1:k1:", "enc:v1:k2:")));
        assertThrows(SecretException.class, () -> box.open("enc:v1:k1:not base64!"));
    }

    @Test
    void malformedKeysAreRefusedWithoutEchoingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SecretBox.of(List.of("k1:c2hvcnQ=")));
        assertFalse(e.getMessage().contains("c2hvcnQ"));
        assertThrows(IllegalArgumentException.class, () -> SecretBox.of(List.of()));
        assertThrows(IllegalArgumentException.class, () -> SecretBox.of(List.of("no-colon")));
        assertThrows(IllegalArgumentException.class, () -> SecretBox.of(List.of(K1, K1)));
        assertFalse(SecretBox.of(List.of(K1)).toString().contains(K1.substring(3)));
    }

    @Test
    void settingsSealOnlyTheirSecretsHeadersIncluded() {
        SecretBox box = SecretBox.of(List.of(K1));
        Map<String, String> settings = Map.of("url", "https://hooks.example.com", "secret", "S", "header.Authorization", "Bearer T",
                "apiKey", "A", "bulk", "true");
        Map<String, String> sealed = SecretSettings.sealed(settings, box);
        assertEquals("https://hooks.example.com", sealed.get("url"));
        assertEquals("true", sealed.get("bulk"));
        assertTrue(SecretBox.isSealed(sealed.get("secret")));
        assertTrue(SecretBox.isSealed(sealed.get("apiKey")));
        assertTrue(SecretBox.isSealed(sealed.get("header.Authorization")));
        assertFalse(SecretSettings.needReseal(sealed, box));
        assertTrue(SecretSettings.needReseal(settings, box));
        assertEquals(settings, SecretSettings.opened(sealed, box));
        assertEquals(Map.of("secret", "S", "header.Authorization", "Bearer T", "apiKey", "A"), SecretSettings.secretValues(settings));
    }
}
