-- The sample's traits behind a view that sleeps 0.3 s per row read, so that runs overlap in the scale-out test.
CREATE FUNCTION segment_profiles.slow_row() RETURNS boolean LANGUAGE sql VOLATILE AS $$ SELECT pg_sleep(0.3); SELECT true $$;
CREATE VIEW segment_profiles.profile_traits_slow AS
    SELECT * FROM segment_profiles.profile_traits WHERE segment_profiles.slow_row();
