-- Reference periods: the end of each year a release does not cover
-- to 31 December, e.g. 2023-06-30 for the newest year of a Mid-Year Trends release. The year is
-- the end date's own year, so one date per partial year says everything; a year without an entry
-- is a whole calendar year (stocks at 31 December, flows over January-December).
ALTER TABLE ingest.release ADD COLUMN reference_period_ends date[] NOT NULL DEFAULT '{}';

-- The API refuses these first, with a message; the constraint keeps any other writer honest:
-- at most one end per year, none on 31 December (that is the default, not a partial year).
CREATE FUNCTION ingest.reference_period_ends_valid(ends date[]) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT count(*) = count(DISTINCT extract(year FROM d)) AND bool_and(to_char(d, 'MM-DD') <> '12-31') IS NOT FALSE
  FROM unnest(ends) AS d
$$;

ALTER TABLE ingest.release ADD CONSTRAINT reference_period_ends_valid CHECK (ingest.reference_period_ends_valid(reference_period_ends));

CREATE OR REPLACE VIEW stats.release AS
SELECT r.id, r.title, r.source, r.published_on, r.preliminary_years, r.state, r.publication_seq, r.published_at,
       coalesce((SELECT array_agg(u.dataset ORDER BY u.dataset) FROM ingest.upload u
                 WHERE u.release_id = r.id AND u.current), '{}') AS datasets,
       r.reference_period_ends
FROM ingest.release r
WHERE r.state IN ('PUBLISHED', 'RETRACTED');
