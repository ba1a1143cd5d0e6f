package dev.linkedaudiences.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** The test key pair shipped in this module's resources. */
public final class TestKeys {

    static PrivateKey privateKey() {
        try {
            String pem = resource("test-jwt/privateKey.pem").replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("test private key unreadable", e);
        }
    }

    /** Writes the public key to a file, for services started as processes ({@code mp.jwt.verify.publickey.location}). */
    public static Path publicKeyFile() {
        try {
            Path file = Files.createTempFile("la-test-jwt", ".pem");
            Files.writeString(file, resource("test-jwt/publicKey.pem"));
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = TestKeys.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " missing from test-support");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TestKeys() {
    }
}
