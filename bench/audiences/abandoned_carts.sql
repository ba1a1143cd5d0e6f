SELECT p.canonical_segment_id FROM bench_profiles.profile_traits p
WHERE p.merged_to IS NULL AND p.first_name IS NOT NULL
  AND EXISTS (SELECT 1 FROM bench_profiles.user_identifiers ui
              JOIN bench.accounts a ON a.email = ui.value AND a.status = 'active'
              JOIN bench.carts c ON c.account_id = a.id AND c.status = 'abandoned'
              JOIN bench.cart_product cp ON cp.cart_id = c.id
              JOIN bench.products pr ON pr.sku = cp.product_id
              WHERE ui.canonical_segment_id = p.canonical_segment_id AND ui.type = 'email')
