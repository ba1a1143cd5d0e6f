-- Benchmark warehouse (PostgreSQL): 1M profiles, 10.5M entity rows, 10M events, in the Profiles Sync layout.
-- Deterministic: every value derives from the row number (hashtext), so two loads give the same data.
-- Indexes are the ones a DBA would add for these joins; the generated and the hand-written SQL share them.
DROP SCHEMA IF EXISTS bench_profiles CASCADE;
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench_profiles;
CREATE SCHEMA bench;
SET synchronous_commit = off;

-- h(i, salt): a stable pseudo-random integer in [0, 2^31)
CREATE FUNCTION bench.h(i bigint, salt int) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (hashtext(i::text || ':' || salt::text)::bigint & 2147483647) $$;

-- Profiles: 1% merged away, 10% without a first name; household_id is a trait (profile join on a trait).
CREATE TABLE bench_profiles.profile_traits AS
SELECT 'p' || i AS canonical_segment_id,
       CASE WHEN i % 10 = 0 THEN NULL ELSE 'First' || (i % 5000) END AS first_name,
       'Last' || (i % 7000) AS last_name,
       (ARRAY['free', 'basic', 'premium'])[1 + bench.h(i, 1) % 3] AS plan,
       'h' || (i / 2) AS household_id,
       CASE WHEN i % 100 = 99 THEN 'p' || (i - 1) END AS merged_to
FROM generate_series(0, 999999) i;

CREATE TABLE bench_profiles.user_identifiers AS
SELECT 'p' || i AS canonical_segment_id, 'email' AS type, 'user' || i || '@example.com' AS value FROM generate_series(0, 999999) i
UNION ALL
SELECT 'p' || i, 'user_id', 'u' || i FROM generate_series(0, 999999, 2) i;

-- Merged profiles' anonymous ids: events under 'anon<i>' belong to p<i>.
CREATE TABLE bench_profiles.id_graph AS
SELECT 'anon' || i AS segment_id, 'p' || i AS canonical_segment_id FROM generate_series(0, 999999, 50) i;

-- 10M events over the 90 days before 2026-11-24; 2% under an anonymous id.
CREATE TABLE bench_profiles.order_completed AS
SELECT 'o' || i AS id,
       CASE WHEN i % 50 = 0 THEN 'anon' || ((bench.h(i, 2) % 20000) * 50) ELSE 'p' || (bench.h(i, 3) % 1000000) END AS segment_id,
       TIMESTAMPTZ '2026-11-24 00:00:00+00' - make_interval(secs => (bench.h(i, 4) % (90 * 86400))) AS "timestamp",
       ((bench.h(i, 5) % 30000) / 100.0)::numeric(10, 2) AS total
FROM generate_series(0, 9999999) i;

-- Entities: households 0.5M, pets 1M, accounts 1M, subscriptions 1.5M, credit cards 1.5M, transactions 4M,
-- carts 1M, products 10k (10.51M rows), plus 1.5M cart_product junction rows (some duplicated).
CREATE TABLE bench.households AS
SELECT 'h' || i AS id, 1 + bench.h(i, 10) % 6 AS size FROM generate_series(0, 499999) i;
CREATE TABLE bench.pets AS
SELECT 'pet' || i AS id, 'h' || (bench.h(i, 11) % 500000) AS household_id,
       (ARRAY['cat', 'dog', 'fish', 'bird'])[1 + bench.h(i, 12) % 4] AS type, 'Pet' || (i % 900) AS name
FROM generate_series(0, 999999) i;
CREATE TABLE bench.accounts AS
SELECT 'a' || i AS id, 'user' || i || '@example.com' AS email,
       CASE WHEN bench.h(i, 20) % 10 = 0 THEN 'closed' ELSE 'active' END AS status
FROM generate_series(0, 999999) i;
CREATE TABLE bench.subscriptions AS
SELECT 's' || i AS id, 'a' || (bench.h(i, 21) % 1000000) AS account_id,
       (ARRAY['active', 'canceled', 'paused'])[1 + bench.h(i, 22) % 3] AS status,
       (ARRAY['free', 'basic', 'premium'])[1 + bench.h(i, 23) % 3] AS tier
FROM generate_series(0, 1499999) i;
CREATE TABLE bench.credit_cards AS
SELECT 'c' || i AS id, 'a' || (bench.h(i, 30) % 1000000) AS account_id,
       (ARRAY['Owly Card', 'Hoot Rewards', 'Nest Basic', 'Feather Gold', 'Talon Travel'])[1 + bench.h(i, 31) % 5] AS name
FROM generate_series(0, 1499999) i;
CREATE TABLE bench.transactions AS
SELECT 't' || i AS id, 'c' || (bench.h(i, 32) % 1500000) AS card_id,
       ((bench.h(i, 33) % 50000) / 100.0)::numeric(10, 2) AS amount,
       TIMESTAMPTZ '2026-11-24 00:00:00+00' - make_interval(secs => (bench.h(i, 34) % (180 * 86400))) AS created_at
FROM generate_series(0, 3999999) i;
CREATE TABLE bench.carts AS
SELECT 'cart' || i AS id, 'a' || (bench.h(i, 40) % 1000000) AS account_id,
       (ARRAY['abandoned', 'checked_out', 'open'])[1 + bench.h(i, 41) % 3] AS status,
       TIMESTAMPTZ '2026-11-24 00:00:00+00' - make_interval(secs => (bench.h(i, 42) % (30 * 86400))) AS abandoned_at
FROM generate_series(0, 999999) i;
CREATE TABLE bench.products AS
SELECT 'sku' || i AS sku, 'Product ' || i AS product_name, '$' || (5 + i % 300) AS product_price
FROM generate_series(0, 9999) i;
CREATE TABLE bench.cart_product AS
SELECT 'cart' || (bench.h(i, 50) % 1000000) AS cart_id, 'sku' || (bench.h(i, 51) % 10000) AS product_id
FROM generate_series(0, 1499999) i;

ALTER TABLE bench_profiles.profile_traits ADD PRIMARY KEY (canonical_segment_id);
CREATE INDEX ON bench_profiles.profile_traits (household_id);
CREATE INDEX ON bench_profiles.user_identifiers (canonical_segment_id, type);
CREATE INDEX ON bench_profiles.user_identifiers (value, type);
CREATE INDEX ON bench_profiles.id_graph (segment_id);
CREATE INDEX ON bench_profiles.order_completed (segment_id, "timestamp");
ALTER TABLE bench.households ADD PRIMARY KEY (id);
ALTER TABLE bench.pets ADD PRIMARY KEY (id);
CREATE INDEX ON bench.pets (household_id);
ALTER TABLE bench.accounts ADD PRIMARY KEY (id);
CREATE INDEX ON bench.accounts (email);
ALTER TABLE bench.subscriptions ADD PRIMARY KEY (id);
CREATE INDEX ON bench.subscriptions (account_id);
ALTER TABLE bench.credit_cards ADD PRIMARY KEY (id);
CREATE INDEX ON bench.credit_cards (account_id);
ALTER TABLE bench.transactions ADD PRIMARY KEY (id);
CREATE INDEX ON bench.transactions (card_id);
ALTER TABLE bench.carts ADD PRIMARY KEY (id);
CREATE INDEX ON bench.carts (account_id);
ALTER TABLE bench.products ADD PRIMARY KEY (sku);
CREATE INDEX ON bench.cart_product (cart_id);
CREATE INDEX ON bench.cart_product (product_id);
SET client_min_messages = error; -- ANALYZE skips catalogs it may not touch, with a warning each
ANALYZE;
