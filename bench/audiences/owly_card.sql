SELECT p.canonical_segment_id FROM bench_profiles.profile_traits p
WHERE p.merged_to IS NULL
  AND p.canonical_segment_id IN (
      SELECT ui.canonical_segment_id FROM bench_profiles.user_identifiers ui
      JOIN bench.accounts a ON a.email = ui.value AND ui.type = 'email'
      JOIN bench.credit_cards c ON c.account_id = a.id AND c.name = 'Owly Card'
      JOIN (SELECT card_id FROM bench.transactions GROUP BY card_id HAVING count(*) > 5) t ON t.card_id = c.id)
