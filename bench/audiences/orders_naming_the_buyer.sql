SELECT p.canonical_segment_id FROM bench_profiles.profile_traits p
WHERE p.merged_to IS NULL
  AND (p.plan = 'premium'
       OR p.canonical_segment_id IN (
          SELECT COALESCE(ig.canonical_segment_id, o.segment_id)
          FROM bench_profiles.order_completed o
          LEFT JOIN (SELECT segment_id, MIN(canonical_segment_id) AS canonical_segment_id FROM bench_profiles.id_graph GROUP BY segment_id) ig
            ON ig.segment_id = o.segment_id
          JOIN bench_profiles.profile_traits t ON t.canonical_segment_id = COALESCE(ig.canonical_segment_id, o.segment_id)
          WHERE o."timestamp" >= TIMESTAMPTZ '2026-11-07 00:00:00+00' AND o."timestamp" <= TIMESTAMPTZ '2026-11-24 00:00:00+00'
            AND (o.id LIKE '%' || t.first_name || '%' OR o.total > 295)))
