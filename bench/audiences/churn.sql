-- About 1% of each audience's membership changes between two runs:
-- 0.25% of profiles are merged away (they leave every audience) and a quarter of the merged-away ones come back
-- (they enter where they qualify); 0.25% of subscriptions, cards, carts and pets change the value audiences filter on.
-- The changes accumulate over benchmark runs: reload the warehouse (bin/bench-audiences --reload) for a fresh start.
UPDATE bench_profiles.profile_traits SET merged_to = CASE WHEN merged_to IS NULL THEN 'p0' END
WHERE bench.h(substr(canonical_segment_id, 2)::bigint, 90) % 400 = 0 OR (merged_to IS NOT NULL AND bench.h(substr(canonical_segment_id, 2)::bigint, 91) % 4 = 0);
UPDATE bench.subscriptions SET status = CASE status WHEN 'active' THEN 'canceled' ELSE 'active' END
WHERE bench.h(substr(id, 2)::bigint, 92) % 400 = 0;
UPDATE bench.credit_cards SET name = CASE name WHEN 'Owly Card' THEN 'Nest Basic' ELSE 'Owly Card' END
WHERE bench.h(substr(id, 2)::bigint, 93) % 400 = 0;
UPDATE bench.carts SET status = CASE status WHEN 'abandoned' THEN 'checked_out' ELSE 'abandoned' END
WHERE bench.h(substr(id, 5)::bigint, 94) % 400 = 0;
UPDATE bench.pets SET type = CASE type WHEN 'cat' THEN 'dog' WHEN 'dog' THEN 'cat' ELSE type END
WHERE bench.h(substr(id, 4)::bigint, 95) % 400 = 0;
