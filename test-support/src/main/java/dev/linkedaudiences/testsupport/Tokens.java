package dev.linkedaudiences.testsupport;

import io.smallrye.jwt.build.Jwt;

import java.time.Duration;
import java.util.Set;

/** Mints bearer tokens signed with the test key pair ({@code test-jwt/}), as an identity provider would. */
public final class Tokens {
    public static final String ISSUER = "linked-audiences";

    /** A one-hour token for {@code user} holding {@code role} in its groups claim. */
    public static String forRole(String role) {
        return forUser(role + "-user", role);
    }

    public static String forUser(String user, String role) {
        return Jwt.issuer(ISSUER)
                .upn(user)
                .groups(Set.of(role))
                .expiresIn(Duration.ofHours(1))
                .jws()
                .keyId("test")
                .sign(TestKeys.privateKey());
    }

    /** A token for {@code role} issued at {@code issuedAt} and valid for an hour from now: old, but not expired. */
    public static String issuedAt(String role, java.time.Instant issuedAt) {
        return Jwt.issuer(ISSUER)
                .upn(role + "-user")
                .groups(Set.of(role))
                .issuedAt(issuedAt)
                .expiresAt(java.time.Instant.now().plus(Duration.ofHours(1)))
                .jws()
                .keyId("test")
                .sign(TestKeys.privateKey());
    }

    private Tokens() {
    }
}
