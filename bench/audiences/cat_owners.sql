SELECT p.canonical_segment_id FROM bench_profiles.profile_traits p
WHERE p.merged_to IS NULL
  AND EXISTS (SELECT 1 FROM bench.households h JOIN bench.pets pet ON pet.household_id = h.id
              WHERE h.id = p.household_id AND pet.type = 'cat')
