SELECT p.canonical_segment_id FROM bench_profiles.profile_traits p
WHERE p.merged_to IS NULL AND p.plan = 'premium'
  AND p.canonical_segment_id IN (
      SELECT COALESCE(ig.canonical_segment_id, o.segment_id) FROM bench_profiles.order_completed o
      LEFT JOIN bench_profiles.id_graph ig ON ig.segment_id = o.segment_id
      WHERE o."timestamp" >= TIMESTAMPTZ '2026-10-25 00:00:00+00' AND o."timestamp" <= TIMESTAMPTZ '2026-11-24 00:00:00+00'
        AND o.total > 100
      GROUP BY 1 HAVING count(*) >= 2)
  AND p.canonical_segment_id IN (
      SELECT ui.canonical_segment_id FROM bench_profiles.user_identifiers ui
      JOIN bench.accounts a ON a.email = ui.value AND ui.type = 'email' AND a.status = 'active'
      JOIN bench.credit_cards c ON c.account_id = a.id AND c.name = 'Owly Card'
      JOIN (SELECT card_id FROM bench.transactions WHERE amount > 250 GROUP BY card_id HAVING count(*) >= 2) t ON t.card_id = c.id)
  AND NOT EXISTS (SELECT 1 FROM bench.households h JOIN bench.pets pet ON pet.household_id = h.id
                  WHERE h.id = p.household_id AND pet.type = 'dog')
