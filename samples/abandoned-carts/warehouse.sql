-- The sample warehouse: the seed's abandoned-cart example in the Profiles Sync layout.
-- Profiles live in segment_profiles; entities (accounts, carts, products) in prod.
-- Loading it again starts from scratch (it drops what it creates).
DROP SCHEMA IF EXISTS segment_profiles CASCADE;
DROP SCHEMA IF EXISTS prod CASCADE;
CREATE SCHEMA segment_profiles;
CREATE SCHEMA prod;

CREATE TABLE segment_profiles.profile_traits (
    canonical_segment_id TEXT PRIMARY KEY,
    first_name           TEXT,
    last_name            TEXT,
    plan                 TEXT,
    merged_to            TEXT
);
CREATE TABLE segment_profiles.user_identifiers (
    canonical_segment_id TEXT NOT NULL,
    type                 TEXT NOT NULL,
    value                TEXT NOT NULL
);
CREATE TABLE prod.accounts (
    id     TEXT PRIMARY KEY,
    email  TEXT NOT NULL,
    status TEXT NOT NULL
);
CREATE TABLE prod.carts (
    id           TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL,
    status       TEXT NOT NULL,
    abandoned_at TIMESTAMPTZ
);
CREATE TABLE prod.product_skus (
    sku           TEXT PRIMARY KEY,
    product_name  TEXT NOT NULL,
    product_price TEXT NOT NULL
);
CREATE TABLE prod.cart_product (
    cart_id    TEXT NOT NULL,
    product_id TEXT NOT NULL
);

INSERT INTO segment_profiles.profile_traits VALUES
    ('p_andrew', 'Andrew', 'Shopper', 'premium', NULL),
    ('p_beth',   'Beth',   'Buyer',   'free',    NULL),
    ('p_carl',   'Carl',   'Merged',  'free',    'p_andrew'),  -- merged away: never a member
    ('p_dana',   NULL,     'Nameless','free',    NULL),        -- no first name: not a member
    ('p_eve',    'Eve',    'Browser', 'premium', NULL);
INSERT INTO segment_profiles.user_identifiers VALUES
    ('p_andrew', 'user_id', 'u123'),
    ('p_andrew', 'email',   'andrew@example.com'),
    ('p_beth',   'email',   'beth@example.com'),
    ('p_carl',   'email',   'carl@example.com'),
    ('p_dana',   'email',   'dana@example.com'),
    ('p_eve',    'user_id', 'u456'),
    ('p_eve',    'email',   'eve@example.com');
INSERT INTO prod.accounts VALUES
    ('a1', 'andrew@example.com', 'active'),
    ('a2', 'beth@example.com',   'active'),
    ('a3', 'carl@example.com',   'active'),
    ('a4', 'dana@example.com',   'active'),
    ('a5', 'eve@example.com',    'active');
INSERT INTO prod.carts VALUES
    ('123', 'a1', 'abandoned',   '2026-11-20 18:30:00+00'),
    ('124', 'a2', 'checked_out', NULL),
    ('125', 'a3', 'abandoned',   '2026-11-21 09:00:00+00'),
    ('126', 'a4', 'abandoned',   '2026-11-22 10:00:00+00'),
    ('127', 'a5', 'abandoned',   '2026-11-23 11:00:00+00');
INSERT INTO prod.product_skus VALUES
    ('324', 'Premium Tennis Shoes', '$140'),
    ('489', 'Premium Jacket',       '$200'),
    ('512', 'Running Socks',        '$12');
INSERT INTO prod.cart_product VALUES
    ('123', '324'), ('123', '489'),
    ('124', '512'),
    ('125', '512'),
    ('126', '324'),
    ('127', '512'), ('127', '512');  -- a duplicate junction row counts once

-- Event history, attributed through id_graph: Andrew's first order was placed as an anonymous
-- segment id that was later merged into his profile.
CREATE TABLE segment_profiles.id_graph (
    segment_id           TEXT NOT NULL,
    canonical_segment_id TEXT NOT NULL
);
CREATE TABLE segment_profiles.order_completed (
    id          TEXT PRIMARY KEY,
    segment_id  TEXT NOT NULL,
    "timestamp" TIMESTAMPTZ,
    total       NUMERIC(12, 2)
);
INSERT INTO segment_profiles.id_graph VALUES ('anon_7f3', 'p_andrew');
INSERT INTO segment_profiles.order_completed VALUES
    ('o1', 'anon_7f3', now() - interval '2 days',  120.00),
    ('o2', 'p_andrew', now() - interval '40 days',  35.50),
    ('o3', 'p_beth',   now() - interval '3 days',   19.99),
    ('o4', 'p_eve',    NULL,                        10.00);
