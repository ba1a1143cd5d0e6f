package dev.linkedaudiences.delivery.destination;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.contracts.url.OutgoingUrlPolicy;
import dev.linkedaudiences.delivery.destination.webhook.WebhookDestination;
import dev.linkedaudiences.delivery.dispatch.RetryPolicy;
import dev.linkedaudiences.testsupport.RecordingHttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A send goes to the address the URL policy checked, looked up once, with the URL's host kept for {@code Host}, TLS
 * SNI and the certificate check; redirects are not followed. Names are answered by a fake resolver (this machine has
 * no DNS), and a local HTTPS server holds a certificate for {@code destination.test} only.
 */
class CheckedAddressTest {
    private final Vertx vertx = Vertx.vertx();
    private final ObjectMapper json = new ObjectMapper();
    private final WebClient client = WebClient.create(vertx, new WebClientOptions()
            .setTrustOptions(new PemTrustOptions().addCertPath("tls/destination-test.crt.pem"))
            .setConnectTimeout(1000)
            .setFollowRedirects(false));
    private final List<String> lookups = new CopyOnWriteArrayList<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer tls;

    record Received(String sni, String host, String path) {
    }

    @BeforeEach
    void startTlsServer() {
        tls = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true).setSni(true)
                        .setKeyCertOptions(new PfxOptions().setPath("tls/destination-test.p12").setPassword("changeit")))
                .requestHandler(request -> request.body().onComplete(body -> {
                    received.add(new Received(request.connection().indicatedServerName(), request.getHeader("Host"), request.path()));
                    request.response().putHeader("Content-Type", "application/json").end("{}");
                }))
                .listen().toCompletionStage().toCompletableFuture().join();
    }

    @AfterEach
    void stop() {
        client.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** Answers each lookup with the next of {@code answers} (the last one again when they run out), and counts them. */
    private OutgoingUrlPolicy.Resolver resolver(List<String> answers) {
        List<String> left = Collections.synchronizedList(new ArrayList<>(answers));
        return host -> {
            lookups.add(host);
            if (left.isEmpty()) {
                throw new UnknownHostException(host);
            }
            String answer = left.size() > 1 ? left.remove(0) : left.get(0);
            return List.of(InetAddress.getByName(answer));
        };
    }

    private List<DeliveryResult> send(UrlPolicy policy, String url, int messages) {
        return send(policy, Map.of("url", url, "secret", "webhook-signing-secret"), messages);
    }

    private List<DeliveryResult> send(UrlPolicy policy, Map<String, String> settings, int messages) {
        BatchSender sender = new BatchSender(new JsonPost(client, json, 2000), new RateLimits(), policy, vertx,
                Duration.ofSeconds(1), new SimpleMeterRegistry());
        List<OutgoingMessage> outgoing = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            outgoing.add(OutgoingMessage.of(Map.of("type", "track", "event", "e" + i, "userId", "u" + i), json));
        }
        return sender.send(new WebhookDestination(), "destination-1", WebhookDestination.SEND, outgoing, settings)
                .await().atMost(Duration.ofSeconds(20));
    }

    @Test
    void theRequestGoesToTheCheckedAddressWithTheHostForHostHeaderSniAndCertificate() {
        // Allow-listed, since the only server here is on loopback; the name is known to the fake resolver alone, so
        // a second lookup by the HTTP client itself could not reach the server.
        UrlPolicy policy = new UrlPolicy(false, List.of("destination.test"), resolver(List.of("127.0.0.1", "127.0.0.2")));
        String url = "https://destination.test:" + tls.actualPort() + "/hooks/la?x=1";

        List<DeliveryResult> results = send(policy, url, 2);

        assertTrue(results.stream().allMatch(DeliveryResult::succeeded), results.toString());
        assertEquals(List.of("destination.test"), lookups, "one lookup for the whole send, though the name rebinds after it");
        assertEquals(2, received.size());
        for (Received r : received) {
            assertEquals("destination.test", r.sni());
            assertEquals("destination.test:" + tls.actualPort(), r.host());
            assertEquals("/hooks/la", r.path());
        }
    }

    @Test
    void theLookupRunsOnAWorkerAndTheSendContinuesOnTheCallersContext() throws Exception {
        // The dispatcher sends from its event loop, where its database session lives: it must get the results there.
        UrlPolicy policy = new UrlPolicy(false, List.of("destination.test"), host -> {
            lookups.add(host + (Context.isOnEventLoopThread() ? " on the event loop" : " on a worker"));
            return List.of(InetAddress.getByName("127.0.0.1"));
        });
        BatchSender sender = new BatchSender(new JsonPost(client, json, 2000), new RateLimits(), policy, vertx,
                Duration.ofSeconds(1), new SimpleMeterRegistry());
        Context context = vertx.getOrCreateContext();
        CompletableFuture<Boolean> onCallersContext = new CompletableFuture<>();
        context.runOnContext(v -> sender.send(new WebhookDestination(), "destination-1", WebhookDestination.SEND,
                        List.of(OutgoingMessage.of(Map.of("type", "track", "event", "e", "userId", "u"), json)),
                        Map.of("url", "https://destination.test:" + tls.actualPort() + "/hooks/la", "secret", "webhook-signing-secret"))
                .subscribe().with(results -> onCallersContext.complete(results.get(0).succeeded() && Vertx.currentContext() == context),
                        onCallersContext::completeExceptionally));

        assertTrue(onCallersContext.get(20, TimeUnit.SECONDS));
        assertEquals(List.of("destination.test on a worker"), lookups);
    }

    @Test
    void anIpv6AddressIsConnectedToAndNamedInBrackets() {
        List<String> hosts = new CopyOnWriteArrayList<>();
        HttpServer v6 = vertx.createHttpServer(new HttpServerOptions().setHost("::1").setPort(0))
                .requestHandler(request -> request.body().onComplete(body -> {
                    hosts.add(request.getHeader("Host"));
                    request.response().end("{}");
                }))
                .listen().toCompletionStage().toCompletableFuture().join();
        UrlPolicy policy = new UrlPolicy(true, List.of("[::1]"));

        DeliveryResult result = send(policy, "http://[::1]:" + v6.actualPort() + "/hooks/la", 1).get(0);

        assertTrue(result.succeeded(), result.toString());
        assertEquals(List.of("[::1]:" + v6.actualPort()), hosts);
        assertEquals(List.of(), lookups);
    }

    @Test
    void theCertificateIsCheckedAgainstTheUrlsHostNotTheAddress() {
        UrlPolicy policy = new UrlPolicy(false, List.of("other.test"), resolver(List.of("127.0.0.1")));

        DeliveryResult result = send(policy, "https://other.test:" + tls.actualPort() + "/hooks/la", 1).get(0);

        assertEquals(DeliveryResult.Kind.NETWORK_ERROR, result.kind(), result.toString());
        assertTrue(received.isEmpty(), "a certificate for destination.test does not serve other.test");
    }

    @Test
    void aNameThatRebindsToAnInternalAddressIsNeverAskedAgain() {
        // Public first (checked, and the one connected to: nothing answers there from this machine), loopback
        // second: the local server must not see the request.
        UrlPolicy policy = new UrlPolicy(false, List.of(), resolver(List.of("93.184.216.34", "127.0.0.1")));

        DeliveryResult result = send(policy, "https://rebind.test:" + tls.actualPort() + "/hooks/la", 1).get(0);

        assertFalse(result.succeeded());
        assertEquals(List.of("rebind.test"), lookups);
        assertTrue(received.isEmpty(), "the connection went to the checked address, not to a second answer");
    }

    @Test
    void aNameThatResolvesToAnInternalAddressIsNotSent() {
        UrlPolicy policy = new UrlPolicy(false, List.of(), resolver(List.of("10.0.0.1")));

        DeliveryResult result = send(policy, "https://internal.test:" + tls.actualPort() + "/hooks/la", 1).get(0);

        assertEquals(DeliveryResult.notSendable(
                "url_not_allowed: internal.test resolves to 10.0.0.1, not a public address: private (10.0.0.0/8)"), result);
        assertFalse(result.attempted());
        assertTrue(received.isEmpty());
    }

    @Test
    void aNameThatDoesNotResolveIsANetworkErrorRetriedLater() {
        UrlPolicy policy = new UrlPolicy(false, List.of(), resolver(List.of()));

        DeliveryResult result = send(policy, "https://nowhere.test/hooks/la", 1).get(0);

        assertEquals(DeliveryResult.Kind.NETWORK_ERROR, result.kind());
        assertEquals("network error: nowhere.test does not resolve", result.reason());
        assertTrue(RetryPolicy.isRetryable(result));
    }

    @Test
    void aLiteralInternalAddressIsRefusedBeforeAnyLookup() {
        UrlPolicy policy = new UrlPolicy(false, List.of(), resolver(List.of("93.184.216.34")));

        DeliveryResult result = send(policy, "https://0x7f000001:" + tls.actualPort() + "/hooks/la", 1).get(0);

        assertEquals(DeliveryResult.notSendable("url_not_allowed: 0x7f000001 is not a public address: loopback (127.0.0.0/8)"), result);
        assertEquals(List.of(), lookups);
        assertTrue(received.isEmpty());
    }

    @Test
    void aHeaderThatWouldSplitOrRetargetTheRequestIsNotSent() {
        try (RecordingHttpServer destination = RecordingHttpServer.start()) {
            UrlPolicy policy = new UrlPolicy(true, List.of("127.0.0.1"));
            String url = destination.baseUrl() + "/hooks/la";

            DeliveryResult host = send(policy, Map.of("url", url, "secret", "webhook-signing-secret", "header.Host", "10.0.0.1"), 1).get(0);
            DeliveryResult crlf = send(policy, Map.of("url", url, "secret", "webhook-signing-secret", "header.X-Team", "a\r\nX-Forged: 1"), 1).get(0);

            assertEquals(DeliveryResult.notSendable("invalid_header: Host is set by the HTTP client and cannot be set here"), host);
            assertEquals(DeliveryResult.Kind.NOT_SENDABLE, crlf.kind());
            assertTrue(crlf.reason().startsWith("invalid_header: a header value holds visible ASCII"), crlf.reason());
            assertEquals(List.of(), destination.requests());
        }
    }

    @Test
    void aRedirectToAnInternalAddressIsNotFollowedAndFailsTheDelivery() {
        try (RecordingHttpServer destination = RecordingHttpServer.start(); RecordingHttpServer internal = RecordingHttpServer.start()) {
            destination.failNext(1, 302, Map.of("Location", internal.baseUrl() + "/admin"));
            UrlPolicy policy = new UrlPolicy(true, List.of("127.0.0.1"));

            DeliveryResult result = send(policy, destination.baseUrl() + "/hooks/la", 1).get(0);

            assertEquals(302, result.status());
            assertFalse(result.succeeded());
            assertEquals("HTTP 302: a redirect, not followed (a destination answers at its configured URL)", result.reason());
            assertFalse(RetryPolicy.isRetryable(result), "a redirect fails the delivery at once");
            assertEquals(1, destination.requests().size());
            assertEquals(List.of(), internal.requests());
        }
    }
}
