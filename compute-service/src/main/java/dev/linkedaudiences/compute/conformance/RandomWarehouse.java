package dev.linkedaudiences.compute.conformance;

import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.graph.DataType;
import dev.linkedaudiences.contracts.graph.EntityType;
import dev.linkedaudiences.contracts.graph.ProfileBlock;
import dev.linkedaudiences.contracts.graph.Relationship;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded random warehouse in the Profiles Sync layout, kept in memory (for the reference evaluator) and
 * loadable into any engine: profiles with NULL traits and merged profiles, identifiers, an id_graph that remaps
 * old segment ids, accounts -> carts -> products through a junction with duplicate rows, an event table with NULL
 * timestamps, and text with LIKE wildcards, backslashes and quotes.
 */
public final class RandomWarehouse {
    /** Text values drawn from, chosen to trap LIKE escaping and case sensitivity. */
    static final List<String> WORDS = List.of("alpha", "Alpha", "al%pha", "al_pha", "a\\b", "o'neil", "beta", "", "100%", "x_y");
    static final List<String> STATUSES = List.of("active", "closed", "Active", "abandoned", "checked_out");

    public final Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
    public final Instant runStart;

    public RandomWarehouse(long seed, Instant runStart) {
        this.runStart = runStart;
        Random random = new Random(seed);
        int profiles = 40;
        List<Map<String, Object>> traits = table("profile_traits");
        List<Map<String, Object>> identifiers = table("user_identifiers");
        List<Map<String, Object>> idGraph = table("id_graph");
        List<Map<String, Object>> accounts = table("accounts");
        List<Map<String, Object>> carts = table("carts");
        List<Map<String, Object>> products = table("products");
        List<Map<String, Object>> cartProduct = table("cart_product");
        List<Map<String, Object>> orders = table("order_completed");
        for (int p = 0; p < profiles; p++) {
            String id = "p" + p;
            boolean merged = random.nextInt(8) == 0 && p > 0;
            traits.add(row("canonical_segment_id", id, "first_name", maybe(random, pick(random, WORDS)),
                    "plan", maybe(random, pick(random, List.of("free", "premium", "pro_100%"))),
                    "age", maybe(random, BigDecimal.valueOf(random.nextInt(60) + 15)),
                    "vip", maybe(random, random.nextBoolean()),
                    "merged_to", merged ? "p0" : null));
            String email = "u" + p + (random.nextInt(5) == 0 ? "%" : "") + "@example.com";
            identifiers.add(row("canonical_segment_id", id, "type", "email", "value", email));
            if (random.nextBoolean()) {
                identifiers.add(row("canonical_segment_id", id, "type", "user_id", "value", "user-" + p));
            }
            if (random.nextInt(4) == 0) {
                idGraph.add(row("segment_id", "old-" + p, "canonical_segment_id", id));
            }
            for (int a = 0; a < random.nextInt(3); a++) {
                String accountId = id + "-a" + a;
                accounts.add(row("id", accountId, "email", random.nextInt(10) == 0 ? email.toUpperCase() : email,
                        "status", pick(random, STATUSES), "score", maybe(random, BigDecimal.valueOf(random.nextInt(100))),
                        "last_login_at", maybe(random, time(random))));
                for (int c = 0; c < random.nextInt(4); c++) {
                    String cartId = accountId + "-c" + c;
                    carts.add(row("id", random.nextInt(15) == 0 ? null : cartId, "account_id", accountId,
                            "status", pick(random, STATUSES), "note", maybe(random, pick(random, WORDS)),
                            "total", maybe(random, new BigDecimal(random.nextInt(50000)).movePointLeft(2)),
                            "abandoned_at", maybe(random, time(random))));
                    for (int k = 0; k < random.nextInt(4); k++) {
                        String sku = "sku" + random.nextInt(12);
                        cartProduct.add(row("cart_id", cartId, "product_id", sku));
                        if (random.nextInt(5) == 0) {
                            cartProduct.add(row("cart_id", cartId, "product_id", sku)); // duplicate junction row
                        }
                    }
                }
            }
            for (int e = 0; e < random.nextInt(4); e++) {
                String segment = random.nextInt(3) == 0 ? "old-" + p : id;
                orders.add(row("id", id + "-o" + e, "segment_id", segment, "timestamp", random.nextInt(6) == 0 ? null : time(random),
                        "total", maybe(random, new BigDecimal(random.nextInt(30000)).movePointLeft(2))));
            }
        }
        for (int s = 0; s < 12; s++) {
            products.add(row("sku", "sku" + s, "name", pick(random, WORDS), "price", new BigDecimal(random.nextInt(20000)).movePointLeft(2)));
        }
    }

    /** The data graph over these tables, with their column types. */
    public DataGraph graph() {
        Map<String, Map<String, DataType>> catalog = new LinkedHashMap<>();
        catalog.put("w.profile_traits", Map.of("canonical_segment_id", DataType.STRING, "first_name", DataType.STRING,
                "plan", DataType.STRING, "age", DataType.NUMBER, "vip", DataType.BOOLEAN, "merged_to", DataType.STRING));
        catalog.put("w.order_completed", Map.of("id", DataType.STRING, "segment_id", DataType.STRING, "timestamp", DataType.TIMESTAMP,
                "total", DataType.NUMBER));
        catalog.put("w.accounts", Map.of("id", DataType.STRING, "email", DataType.STRING, "status", DataType.STRING,
                "score", DataType.NUMBER, "last_login_at", DataType.TIMESTAMP));
        catalog.put("w.carts", Map.of("id", DataType.STRING, "account_id", DataType.STRING, "status", DataType.STRING,
                "note", DataType.STRING, "total", DataType.NUMBER, "abandoned_at", DataType.TIMESTAMP));
        catalog.put("w.products", Map.of("sku", DataType.STRING, "name", DataType.STRING, "price", DataType.NUMBER));
        Relationship products = new Relationship("products", "Products", "product", null,
                new Relationship.Junction("w.cart_product", "cart_id", "id", "product_id", "sku"), null);
        Relationship carts = new Relationship("carts", "Carts", "cart", new Relationship.Join(null, null, "id", "account_id"), null, List.of(products));
        Relationship accounts = new Relationship("accounts", "Accounts", "account", new Relationship.Join("email", null, null, "email"), null, List.of(carts));
        return new DataGraph(List.of(new EntityType("account", "Accounts", "w.accounts", "id"),
                new EntityType("cart", "Carts", "w.carts", "id"), new EntityType("product", "Products", "w.products", "sku")),
                new ProfileBlock("w", "profile_traits", "user_identifiers", "id_graph", Map.of("Order Completed", "order_completed"),
                        List.of(accounts)), catalog);
    }

    /** Creates schema {@code w} with every table and row; {@code timestampType} is the engine's zoned timestamp type. */
    public void load(Connection c, String timestampType) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS w CASCADE");
            s.execute("CREATE SCHEMA w");
            s.execute("CREATE TABLE w.profile_traits (canonical_segment_id VARCHAR PRIMARY KEY, first_name VARCHAR, plan VARCHAR, age DECIMAL(10,2), vip BOOLEAN, merged_to VARCHAR)");
            s.execute("CREATE TABLE w.user_identifiers (canonical_segment_id VARCHAR, type VARCHAR, value VARCHAR)");
            s.execute("CREATE TABLE w.id_graph (segment_id VARCHAR, canonical_segment_id VARCHAR)");
            s.execute("CREATE TABLE w.accounts (id VARCHAR, email VARCHAR, status VARCHAR, score DECIMAL(10,2), last_login_at " + timestampType + ")");
            s.execute("CREATE TABLE w.carts (id VARCHAR, account_id VARCHAR, status VARCHAR, note VARCHAR, total DECIMAL(10,2), abandoned_at " + timestampType + ")");
            s.execute("CREATE TABLE w.products (sku VARCHAR, name VARCHAR, price DECIMAL(10,2))");
            s.execute("CREATE TABLE w.cart_product (cart_id VARCHAR, product_id VARCHAR)");
            s.execute("CREATE TABLE w.order_completed (id VARCHAR, segment_id VARCHAR, \"timestamp\" " + timestampType + ", total DECIMAL(10,2))");
        }
        for (Map.Entry<String, List<Map<String, Object>>> table : tables.entrySet()) {
            for (Map<String, Object> row : table.getValue()) {
                List<String> columns = new ArrayList<>(row.keySet());
                String sql = "INSERT INTO w." + table.getKey() + " (" + String.join(", ", columns.stream().map(n -> "\"" + n + "\"").toList())
                        + ") VALUES (" + String.join(", ", columns.stream().map(n -> "?").toList()) + ")";
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int i = 0; i < columns.size(); i++) {
                        Object value = row.get(columns.get(i));
                        ps.setObject(i + 1, value instanceof Instant t ? OffsetDateTime.ofInstant(t, ZoneOffset.UTC) : value);
                    }
                    ps.executeUpdate();
                }
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("ANALYZE"); // without statistics PostgreSQL misjudges the correlated subqueries badly
        }
    }

    private List<Map<String, Object>> table(String name) {
        return tables.computeIfAbsent(name, n -> new ArrayList<>());
    }

    private Instant time(Random random) {
        // from 30 days before the run to 2 days after it, to the second
        return runStart.minus(30, ChronoUnit.DAYS).plusSeconds(random.nextInt(32 * 86400));
    }

    static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static Object maybe(Random random, Object value) {
        return random.nextInt(5) == 0 ? null : value;
    }

    private static Map<String, Object> row(Object... keyValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            row.put((String) keyValues[i], keyValues[i + 1]);
        }
        return row;
    }
}
