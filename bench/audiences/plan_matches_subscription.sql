SELECT p.canonical_segment_id FROM bench_profiles.profile_traits p
WHERE p.merged_to IS NULL
  AND EXISTS (SELECT 1 FROM bench_profiles.user_identifiers ui
              JOIN bench.accounts a ON a.email = ui.value
              JOIN bench.subscriptions s ON s.account_id = a.id
              WHERE ui.canonical_segment_id = p.canonical_segment_id AND ui.type = 'email'
                AND s.tier = p.plan AND s.status = a.status)
