-- The streaming test's warehouse: the sample's layout (samples/abandoned-carts) with 2,000 profiles that each have an
-- active account, an abandoned cart and two products.
DROP SCHEMA IF EXISTS segment_profiles CASCADE;
DROP SCHEMA IF EXISTS prod CASCADE;
CREATE SCHEMA segment_profiles;
CREATE SCHEMA prod;

CREATE TABLE segment_profiles.profile_traits AS
SELECT 'p' || lpad(i::text, 5, '0') AS canonical_segment_id, 'First' || i AS first_name, 'Last' || i AS last_name,
       CASE WHEN i % 4 = 0 THEN 'premium' ELSE 'free' END AS plan, NULL::text AS merged_to
FROM generate_series(1, 2000) i;
ALTER TABLE segment_profiles.profile_traits ADD PRIMARY KEY (canonical_segment_id);

CREATE TABLE segment_profiles.user_identifiers AS
SELECT 'p' || lpad(i::text, 5, '0') AS canonical_segment_id, 'email' AS type, 'user' || i || '@example.com' AS value
FROM generate_series(1, 2000) i
UNION ALL
SELECT 'p' || lpad(i::text, 5, '0'), 'user_id', 'u' || i FROM generate_series(1, 2000) i;
CREATE INDEX ON segment_profiles.user_identifiers (canonical_segment_id, type);
CREATE TABLE segment_profiles.id_graph (segment_id TEXT NOT NULL, canonical_segment_id TEXT NOT NULL);
CREATE TABLE segment_profiles.order_completed (id TEXT, segment_id TEXT, "timestamp" TIMESTAMPTZ, total NUMERIC);

CREATE TABLE prod.accounts AS
SELECT 'a' || i AS id, 'user' || i || '@example.com' AS email, 'active' AS status FROM generate_series(1, 2000) i;
ALTER TABLE prod.accounts ADD PRIMARY KEY (id);
CREATE INDEX ON prod.accounts (email);
CREATE TABLE prod.carts AS
SELECT 'c' || i AS id, 'a' || i AS account_id, 'abandoned' AS status, TIMESTAMPTZ '2026-11-20 18:30:00+00' AS abandoned_at
FROM generate_series(1, 2000) i;
ALTER TABLE prod.carts ADD PRIMARY KEY (id);
CREATE INDEX ON prod.carts (account_id);
CREATE TABLE prod.product_skus AS
SELECT 's' || i AS sku, 'Product ' || i AS product_name, '$' || i AS product_price FROM generate_series(1, 50) i;
ALTER TABLE prod.product_skus ADD PRIMARY KEY (sku);
CREATE TABLE prod.cart_product AS
SELECT 'c' || i AS cart_id, 's' || (1 + i % 50) AS product_id FROM generate_series(1, 2000) i
UNION ALL
SELECT 'c' || i, 's' || (1 + (i + 7) % 50) FROM generate_series(1, 2000) i;
CREATE INDEX ON prod.cart_product (cart_id);
ANALYZE;
