package dev.linkedaudiences.testsupport.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The hostile-request fuzz suite of issue 12, shared by every service: every operation of a service's OpenAPI
 * document gets requests with generated hostile path parameters, query parameters and bodies (strings with lone
 * surrogates, NULs and control characters, long strings, huge and non-finite numbers, deep nesting, duplicate keys,
 * wrong types, broken JSON), sent with a bearer token of the most privileged role. Generation is seeded (plain
 * {@link Random}: jqwik's generators need its engine's lifecycle, which a Quarkus test does not run in), so a
 * finding is reproduced by its seed. What it asserts, through {@link #findings}: no answer is a 5xx (but a 503
 * problem, a dependency that is down), every 4xx is problem+json, and afterwards every list (a GET without path
 * parameters that answered 200 before) still answers 200: nothing stored poisons a read.
 */
public final class HostileRequests {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEM = "application/problem+json";
    private final URI base;
    private final String token;
    private final List<Operation> operations;
    private final Random random;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    /** One operation of the OpenAPI document: its method, path template, query parameters and body properties. */
    public record Operation(String method, String path, List<String> queryParameters, List<String> bodyProperties, boolean hasBody) {
    }

    /** A request whose answer broke the rules, with what came back. */
    public record Finding(String request, int status, String contentType, String body) {
        @Override
        public String toString() {
            return request + " -> " + status + " " + contentType + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
        }
    }

    /**
     * @param base     the service's API base URL
     * @param openApi  the service's OpenAPI document (JSON)
     * @param token    the bearer token every request carries
     * @param seed     the generator's seed
     */
    public HostileRequests(URI base, String openApi, String token, long seed) throws IOException {
        this.base = base;
        this.token = token;
        this.operations = operations(JSON.readTree(openApi));
        this.random = new Random(seed);
    }

    public List<Operation> operations() {
        return operations;
    }

    /**
     * Sends {@code perOperation} hostile requests to every operation, then reads every list again: the requests and
     * answers that broke the rules.
     */
    public List<Finding> findings(int perOperation) throws InterruptedException {
        List<Operation> lists = operations.stream().filter(o -> o.method().equals("GET") && !o.path().contains("{")).toList();
        List<Operation> answeringLists = new ArrayList<>();
        for (Operation list : lists) {
            if (send("GET", base.resolve(list.path()), null).statusCode() == 200) {
                answeringLists.add(list);
            }
        }
        List<Finding> findings = new ArrayList<>();
        for (Operation operation : operations) {
            for (int i = 0; i < perOperation; i++) {
                String uri = path(operation) + query(operation);
                String body = operation.hasBody() || random.nextInt(4) == 0 ? body(operation) : null;
                HttpResponse<String> answer = send(operation.method(), URI.create(base.toString().replaceAll("/$", "") + uri), body);
                String contentType = answer.headers().firstValue("Content-Type").orElse("");
                boolean problem = contentType.startsWith(PROBLEM);
                if ((answer.statusCode() >= 500 && !(answer.statusCode() == 503 && problem)) || (answer.statusCode() >= 400 && !problem)) {
                    findings.add(new Finding(operation.method() + " " + uri + (body == null ? "" : " " + abbreviate(body)),
                            answer.statusCode(), contentType, answer.body()));
                }
            }
        }
        for (Operation list : answeringLists) {
            HttpResponse<String> answer = send("GET", base.resolve(list.path()), null);
            if (answer.statusCode() != 200) {
                findings.add(new Finding("GET " + list.path() + " after the hostile requests", answer.statusCode(),
                        answer.headers().firstValue("Content-Type").orElse(""), answer.body()));
            }
        }
        return findings;
    }

    private HttpResponse<String> send(String method, URI uri, String body) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + uri + " failed: " + e, e); // a reset connection is a finding too
        }
    }

    /** The path with each {parameter} replaced by a hostile value, a UUID, or a plain word, percent-encoded as sent. */
    private String path(Operation operation) {
        StringBuilder path = new StringBuilder();
        for (String segment : operation.path().split("/", -1)) {
            if (!path.isEmpty() || !segment.isEmpty()) {
                path.append('/');
            }
            if (segment.startsWith("{")) {
                path.append(switch (random.nextInt(4)) {
                    case 0 -> UUID.randomUUID().toString();
                    case 1 -> "%00";
                    default -> encode(urlText());
                });
            } else {
                path.append(segment);
            }
        }
        return path.toString();
    }

    private String query(Operation operation) {
        List<String> pairs = new ArrayList<>();
        for (String name : operation.queryParameters()) {
            if (random.nextBoolean()) {
                pairs.add(name + "=" + (random.nextInt(5) == 0 ? "%00" : encode(urlText())));
            }
        }
        return pairs.isEmpty() ? "" : "?" + String.join("&", pairs);
    }

    /** A hostile body: the operation's properties with hostile values, or a hostile document. */
    private String body(Operation operation) {
        String name = operation.bodyProperties().isEmpty() ? "name" : operation.bodyProperties().get(random.nextInt(operation.bodyProperties().size()));
        return switch (random.nextInt(10)) {
            case 0 -> "{\"" + name + "\": 1, \"" + name + "\": 2}";
            case 1 -> "[".repeat(2_000) + "]".repeat(2_000);
            case 2 -> "{\"" + name + "\": 1e400}";
            case 3 -> random.nextBoolean() ? "" : "{\"" + name + "\": ";
            case 4 -> json(value(0));
            default -> {
                Map<String, Object> object = new LinkedHashMap<>();
                List<String> names = operation.bodyProperties().isEmpty() ? List.of("name", "key", "settings") : operation.bodyProperties();
                for (String property : names) {
                    if (random.nextInt(4) != 0) {
                        object.put(property, value(0));
                    }
                }
                yield json(object);
            }
        };
    }

    private static final List<String> KNOWN_HOSTILE = List.of("A\ud800\u0116", "\ud800\u0122}}]}]}", "\udc00", "a\u0000b", "\r\nX-Injected: 1",
            "'; DROP TABLE audience; --", "{{i18n \"quarkus.datasource.password\" bundle=\"application\"}}", "{{log \"x\"}}",
            "../../../q/metrics", "%2e%2e/%2e%2e/q/metrics", "\u202e", "\ufeff", " ", "", "null", "AA");
    private static final List<String> HOSTILE_NUMBERS = List.of("1e400", "-1e400", "123456789012345678901234567890", "-0", "1e-400", "0.1",
            "9007199254740993");

    /** Text that no field should take as is: any characters (lone surrogates, NUL and controls included), known attacks, long runs. */
    private String text() {
        return switch (random.nextInt(7)) {
            case 0, 1, 2 -> {
                StringBuilder any = new StringBuilder();
                for (int i = random.nextInt(40); i > 0; i--) {
                    any.append((char) (random.nextInt(4) == 0 ? random.nextInt(0x20) : random.nextInt(Character.MAX_VALUE + 1)));
                }
                yield any.toString();
            }
            case 6 -> "x{é\u0000".repeat(250 + random.nextInt(5_000));
            default -> KNOWN_HOSTILE.get(random.nextInt(KNOWN_HOSTILE.size()));
        };
    }

    /**
     * Hostile text for a path or query parameter, short enough that a URL with several stays within the server's
     * request-line limit (4 KiB, refused before any route can answer), or just over a parameter's maximum (1,000).
     */
    private String urlText() {
        if (random.nextInt(8) == 0) {
            return "x".repeat(1_001);
        }
        String text = text();
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    /** A JSON value of any type, hostile where it can be. */
    private Object value(int depth) {
        int kind = random.nextInt(depth > 2 ? 9 : 11);
        if (kind < 5) {
            return text();
        } else if (kind < 7) {
            return new RawNumber(HOSTILE_NUMBERS.get(random.nextInt(HOSTILE_NUMBERS.size())));
        } else if (kind == 7) {
            return random.nextBoolean();
        } else if (kind == 8) {
            return null;
        } else if (kind == 9) {
            List<Object> list = new ArrayList<>();
            for (int i = random.nextInt(5); i > 0; i--) {
                list.add(value(depth + 1));
            }
            return list;
        }
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            object.put(random.nextBoolean() ? text() : "k" + i, value(depth + 1));
        }
        return object;
    }

    /** A number written as is (non-finite, huge): JSON numbers Java's types cannot always hold. */
    private record RawNumber(String text) {
    }

    /** JSON text in ASCII: every other character, surrogates included, as a \\u escape, so lone surrogates travel too. */
    static String json(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof RawNumber n) {
            out.append(n.text());
        } else if (value instanceof Boolean b) {
            out.append(b);
        } else if (value instanceof String s) {
            out.append('"');
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < 0x20 || c > 0x7e) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            out.append('"');
        } else if (value instanceof Map<?, ?> m) {
            out.append('{');
            Iterator<? extends Map.Entry<?, ?>> entries = m.entrySet().iterator();
            while (entries.hasNext()) {
                Map.Entry<?, ?> e = entries.next();
                write(String.valueOf(e.getKey()), out);
                out.append(':');
                write(e.getValue(), out);
                if (entries.hasNext()) {
                    out.append(',');
                }
            }
            out.append('}');
        } else if (value instanceof List<?> l) {
            out.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(l.get(i), out);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass());
        }
    }

    /** Percent-encodes text as UTF-8; a lone surrogate as the three bytes a lenient encoder writes (ED A0 80...). */
    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append(c);
                continue;
            }
            int codePoint = c;
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                codePoint = Character.toCodePoint(c, text.charAt(++i));
            }
            byte[] bytes = codePoint <= 0x7f ? new byte[]{(byte) codePoint}
                    : codePoint <= 0x7ff ? new byte[]{(byte) (0xc0 | codePoint >> 6), (byte) (0x80 | codePoint & 0x3f)}
                    : codePoint <= 0xffff ? new byte[]{(byte) (0xe0 | codePoint >> 12), (byte) (0x80 | codePoint >> 6 & 0x3f), (byte) (0x80 | codePoint & 0x3f)}
                    : new byte[]{(byte) (0xf0 | codePoint >> 18), (byte) (0x80 | codePoint >> 12 & 0x3f), (byte) (0x80 | codePoint >> 6 & 0x3f),
                    (byte) (0x80 | codePoint & 0x3f)};
            for (byte b : bytes) {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static String abbreviate(String body) {
        return body.length() > 200 ? body.substring(0, 200) + "...(" + body.length() + " chars)" : body;
    }

    /** Every operation of the document, with its query parameters and the top-level properties of its JSON body. */
    private static List<Operation> operations(JsonNode document) {
        List<Operation> operations = new ArrayList<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
            if (!List.of("get", "post", "put", "patch", "delete").contains(method.getKey())) {
                return;
            }
            JsonNode operation = method.getValue();
            List<String> query = new ArrayList<>();
            operation.path("parameters").forEach(p -> {
                if ("query".equals(p.path("in").asText())) {
                    query.add(p.path("name").asText());
                }
            });
            JsonNode schema = operation.path("requestBody").path("content").path("application/json").path("schema");
            if (schema.has("$ref")) {
                schema = document.at("/components/schemas/" + schema.path("$ref").asText().replace("#/components/schemas/", ""));
            }
            List<String> properties = new ArrayList<>();
            schema.path("properties").fieldNames().forEachRemaining(properties::add);
            operations.add(new Operation(method.getKey().toUpperCase(), path.getKey(), query, properties,
                    operation.has("requestBody")));
        }));
        return operations;
    }

    /** Sizes for a quick check and a longer one: {@code -Dfuzz.requests} per operation, {@code -Dfuzz.seed}. */
    public static int requestsPerOperation() {
        return Integer.getInteger("fuzz.requests", 12);
    }

    public static long seed() {
        return Long.getLong("fuzz.seed", 20261202L);
    }

    /**
     * The suite for the service under test at {@code base}: its operations from its OpenAPI document, {@link
     * #requestsPerOperation()} hostile requests each, as a workspace owner; fails with every finding.
     *
     * @param minimumOperations how many operations the document must list at least (a document that lost them would
     *                          make the suite pass for nothing)
     */
    public static void assertNoFindings(URI base, int minimumOperations) throws IOException, InterruptedException {
        int managementPort = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("quarkus.management.test-port", Integer.class).orElse(9001);
        HostileRequests fuzz = new HostileRequests(base, openApi(base, managementPort), dev.linkedaudiences.testsupport.Tokens.forRole("workspace_owner"), seed());
        if (fuzz.operations().size() < minimumOperations) {
            throw new AssertionError("the OpenAPI document lists " + fuzz.operations().size() + " operations: " + fuzz.operations());
        }
        List<Finding> findings = fuzz.findings(requestsPerOperation());
        if (!findings.isEmpty()) {
            throw new AssertionError(findings.size() + " finding(s) with seed " + seed() + " (-Dfuzz.seed):\n"
                    + String.join("\n", findings.stream().map(Finding::toString).toList()));
        }
    }

    /** The service's OpenAPI document, from its management interface or, without one, its API port. */
    public static String openApi(URI base, int managementPort) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        for (URI uri : List.of(URI.create("http://localhost:" + managementPort + "/q/openapi?format=json"), base.resolve("/q/openapi?format=json"))) {
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    return answer.body();
                }
            } catch (IOException e) {
                // no management interface: try the API port
            }
        }
        throw new IOException("no OpenAPI document at " + base + " or on port " + managementPort);
    }
}
