package dev.linkedaudiences.compute.conformance;

import dev.linkedaudiences.compute.sql.Dialect;
import dev.linkedaudiences.compute.warehouse.WarehouseSession;
import dev.linkedaudiences.contracts.graph.DataGraph;
import dev.linkedaudiences.contracts.graph.DataType;
import dev.linkedaudiences.contracts.graph.EntityType;
import dev.linkedaudiences.contracts.graph.ProfileBlock;
import dev.linkedaudiences.contracts.graph.Relationship;

import java.math.BigDecimal;
import java.sql.SQLException;
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
    static final List<String> PLANS = List.of("free", "premium", "pro_100%");
    private static final int ROWS_PER_INSERT = 200;

    public final Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
    public final Instant runStart;
    private int profiles;

    public RandomWarehouse(long seed, Instant runStart) {
        this.runStart = runStart;
        Random random = new Random(seed);
        for (String name : List.of("profile_traits", "user_identifiers", "id_graph", "accounts", "carts", "products", "cart_product",
                "order_completed")) {
            table(name);
        }
        for (int p = 0; p < 40; p++) {
            addProfile(random);
        }
        for (int s = 0; s < 12; s++) {
            table("products").add(row("sku", "sku" + s, "name", pick(random, WORDS), "price", new BigDecimal(random.nextInt(20000)).movePointLeft(2)));
        }
    }

    /** One more profile, with its identifiers, old segment id, accounts, carts, cart lines and events. */
    private void addProfile(Random random) {
        int p = profiles++;
        String id = "p" + p;
        boolean merged = random.nextInt(8) == 0 && p > 0;
        table("profile_traits").add(row("canonical_segment_id", id, "first_name", maybe(random, pick(random, WORDS)),
                "plan", maybe(random, pick(random, PLANS)),
                "age", maybe(random, BigDecimal.valueOf(random.nextInt(60) + 15)),
                "vip", maybe(random, random.nextBoolean()),
                "merged_to", merged ? "p0" : null));
        String email = "u" + p + (random.nextInt(5) == 0 ? "%" : "") + "@example.com";
        table("user_identifiers").add(row("canonical_segment_id", id, "type", "email", "value", email));
        if (random.nextBoolean()) {
            table("user_identifiers").add(row("canonical_segment_id", id, "type", "user_id", "value", "user-" + p));
        }
        if (random.nextInt(4) == 0) {
            table("id_graph").add(row("segment_id", "old-" + p, "canonical_segment_id", id));
        }
        for (int a = 0; a < random.nextInt(3); a++) {
            String accountId = id + "-a" + a;
            table("accounts").add(row("id", accountId, "email", random.nextInt(10) == 0 ? email.toUpperCase() : email,
                    "status", pick(random, STATUSES), "score", maybe(random, BigDecimal.valueOf(random.nextInt(100))),
                    "last_login_at", maybe(random, time(random))));
            for (int c = 0; c < random.nextInt(4); c++) {
                String cartId = accountId + "-c" + c;
                table("carts").add(row("id", random.nextInt(15) == 0 ? null : cartId, "account_id", accountId,
                        "status", pick(random, STATUSES), "note", maybe(random, pick(random, WORDS)),
                        "total", maybe(random, new BigDecimal(random.nextInt(50000)).movePointLeft(2)),
                        "abandoned_at", maybe(random, time(random))));
                for (int k = 0; k < random.nextInt(4); k++) {
                    addCartLine(random, cartId);
                }
            }
        }
        for (int e = 0; e < random.nextInt(4); e++) {
            addOrder(random, p);
        }
    }

    private void addCartLine(Random random, String cartId) {
        String sku = "sku" + random.nextInt(12);
        table("cart_product").add(row("cart_id", cartId, "product_id", sku));
        if (random.nextInt(5) == 0) {
            table("cart_product").add(row("cart_id", cartId, "product_id", sku)); // duplicate junction row
        }
    }

    private void addOrder(Random random, int p) {
        List<Map<String, Object>> orders = table("order_completed");
        String segment = random.nextInt(3) == 0 ? "old-" + p : "p" + p;
        orders.add(row("id", "p" + p + "-o" + orders.size(), "segment_id", segment, "timestamp", random.nextInt(6) == 0 ? null : time(random),
                "total", maybe(random, new BigDecimal(random.nextInt(30000)).movePointLeft(2))));
    }

    /**
     * What happens in a warehouse between two runs, drawn from {@code seed}: traits change, profiles merge, new
     * profiles arrive, accounts and carts change status, carts and cart lines and events disappear, new ones come.
     * The second run's entered and exited profiles and entities are the differences these make.
     */
    public void change(long seed) {
        Random random = new Random(seed);
        for (Map<String, Object> traits : table("profile_traits")) {
            switch (random.nextInt(8)) {
                case 0 -> traits.put("first_name", maybe(random, pick(random, WORDS)));
                case 1 -> traits.put("plan", maybe(random, pick(random, PLANS)));
                case 2 -> traits.put("age", maybe(random, BigDecimal.valueOf(random.nextInt(60) + 15)));
                case 3 -> traits.put("vip", maybe(random, random.nextBoolean()));
                case 4 -> traits.put("merged_to", traits.get("merged_to") == null && !"p0".equals(traits.get("canonical_segment_id")) ? "p0" : null);
                default -> {
                }
            }
        }
        for (Map<String, Object> account : table("accounts")) {
            if (random.nextInt(5) == 0) {
                account.put("status", pick(random, STATUSES));
            }
        }
        for (Map<String, Object> cart : table("carts")) {
            if (random.nextInt(5) == 0) {
                cart.put("status", pick(random, STATUSES));
                cart.put("total", maybe(random, new BigDecimal(random.nextInt(50000)).movePointLeft(2)));
            }
        }
        table("carts").removeIf(cart -> random.nextInt(10) == 0);
        table("cart_product").removeIf(line -> random.nextInt(8) == 0);
        for (Map<String, Object> cart : List.copyOf(table("carts"))) {
            if (cart.get("id") != null && random.nextInt(6) == 0) {
                addCartLine(random, (String) cart.get("id"));
            }
        }
        table("order_completed").removeIf(order -> random.nextInt(6) == 0);
        int existing = profiles;
        for (int p = 0; p < existing; p++) {
            if (random.nextInt(3) == 0) {
                addOrder(random, p);
            }
        }
        for (int p = 0; p < 4; p++) {
            addProfile(random);
        }
    }

    /** The data graph over these tables in {@code schema}, with their column types. */
    public DataGraph graph(String schema) {
        String w = schema + ".";
        Map<String, Map<String, DataType>> catalog = new LinkedHashMap<>();
        catalog.put(w + "profile_traits", Map.of("canonical_segment_id", DataType.STRING, "first_name", DataType.STRING,
                "plan", DataType.STRING, "age", DataType.NUMBER, "vip", DataType.BOOLEAN, "merged_to", DataType.STRING));
        catalog.put(w + "order_completed", Map.of("id", DataType.STRING, "segment_id", DataType.STRING, "timestamp", DataType.TIMESTAMP,
                "total", DataType.NUMBER));
        catalog.put(w + "accounts", Map.of("id", DataType.STRING, "email", DataType.STRING, "status", DataType.STRING,
                "score", DataType.NUMBER, "last_login_at", DataType.TIMESTAMP));
        catalog.put(w + "carts", Map.of("id", DataType.STRING, "account_id", DataType.STRING, "status", DataType.STRING,
                "note", DataType.STRING, "total", DataType.NUMBER, "abandoned_at", DataType.TIMESTAMP));
        catalog.put(w + "products", Map.of("sku", DataType.STRING, "name", DataType.STRING, "price", DataType.NUMBER));
        Relationship products = new Relationship("products", "Products", "product", null,
                new Relationship.Junction(w + "cart_product", "cart_id", "id", "product_id", "sku"), null);
        Relationship carts = new Relationship("carts", "Carts", "cart", new Relationship.Join(null, null, "id", "account_id"), null, List.of(products));
        Relationship accounts = new Relationship("accounts", "Accounts", "account", new Relationship.Join("email", null, null, "email"), null, List.of(carts));
        return new DataGraph(List.of(new EntityType("account", "Accounts", w + "accounts", "id"),
                new EntityType("cart", "Carts", w + "carts", "id"), new EntityType("product", "Products", w + "products", "sku")),
                new ProfileBlock(schema, "profile_traits", "user_identifiers", "id_graph", Map.of("Order Completed", "order_completed"),
                        List.of(accounts)), catalog);
    }

    /**
     * The CREATE TABLE statement of each table, by table name, in {@code schema} (which must exist), with the
     * dialect's types. Plain CREATE TABLE, not IF NOT EXISTS: a table of that name already there is an error,
     * never a table taken over.
     */
    public Map<String, String> createStatements(Dialect dialect, String schema) {
        String text = dialect.textColumn(200);
        String number = "DECIMAL(10,2)";
        String time = dialect.timestampColumn();
        Map<String, List<String>> columns = new LinkedHashMap<>();
        columns.put("profile_traits", List.of("canonical_segment_id " + text, "first_name " + text, "plan " + text, "age " + number,
                "vip BOOLEAN", "merged_to " + text));
        columns.put("user_identifiers", List.of("canonical_segment_id " + text, dialect.column("type") + " " + text, dialect.column("value") + " " + text));
        columns.put("id_graph", List.of("segment_id " + text, "canonical_segment_id " + text));
        columns.put("accounts", List.of("id " + text, "email " + text, "status " + text, "score " + number, "last_login_at " + time));
        columns.put("carts", List.of("id " + text, "account_id " + text, "status " + text, "note " + text, "total " + number, "abandoned_at " + time));
        columns.put("products", List.of("sku " + text, "name " + text, "price " + number));
        columns.put("cart_product", List.of("cart_id " + text, "product_id " + text));
        columns.put("order_completed", List.of("id " + text, "segment_id " + text, dialect.column("timestamp") + " " + time, "total " + number));
        Map<String, String> statements = new LinkedHashMap<>();
        columns.forEach((table, definitions) -> statements.put(table,
                "CREATE TABLE " + dialect.table(schema + "." + table) + " (" + String.join(", ", definitions) + ")"));
        return statements;
    }

    /**
     * Writes every row into the tables of {@link #createStatements} (replacing what they held), a few hundred rows
     * per statement so that a remote warehouse is not asked for one round trip per row, then refreshes statistics
     * where the engine needs it.
     */
    public void write(WarehouseSession c, Dialect dialect, String schema) throws SQLException {
        for (Map.Entry<String, List<Map<String, Object>>> table : tables.entrySet()) {
            String name = dialect.table(schema + "." + table.getKey());
            c.execute("DELETE FROM " + name + " WHERE 1 = 1"); // BigQuery takes no DELETE without WHERE
            List<Map<String, Object>> rows = table.getValue();
            for (int from = 0; from < rows.size(); from += ROWS_PER_INSERT) {
                insert(c, dialect, name, rows.subList(from, Math.min(rows.size(), from + ROWS_PER_INSERT)));
            }
            String statistics = dialect.refreshStatistics(name);
            if (statistics != null) {
                c.execute(statistics);
            }
        }
    }

    /**
     * One multi-row INSERT with bound values; every row of a table has the same columns. A null is written as the
     * literal NULL: a bound null needs a type, and BigQuery refuses a NULL of another type than its column's.
     */
    private static void insert(WarehouseSession c, Dialect dialect, String table, List<Map<String, Object>> rows) throws SQLException {
        List<String> columns = new ArrayList<>(rows.get(0).keySet());
        List<String> tuples = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            List<String> values = new ArrayList<>();
            for (String column : columns) {
                Object value = row.get(column);
                if (value == null) {
                    values.add("NULL");
                } else {
                    values.add("?");
                    parameters.add(value instanceof Instant t ? OffsetDateTime.ofInstant(t, ZoneOffset.UTC) : value);
                }
            }
            tuples.add("(" + String.join(", ", values) + ")");
        }
        c.execute("INSERT INTO " + table + " (" + String.join(", ", columns.stream().map(dialect::column).toList()) + ") VALUES "
                + String.join(", ", tuples), parameters);
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
