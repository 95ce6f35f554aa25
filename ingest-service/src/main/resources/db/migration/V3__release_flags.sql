-- What figure queries need of a release on every row (preliminary years, state, order), without
-- the dataset list that stats.release computes: measured to halve cold query times.
CREATE VIEW stats.release_flags AS
SELECT r.id, r.preliminary_years, r.state, r.published_on, r.publication_seq
FROM ingest.release r
WHERE r.state IN ('PUBLISHED', 'RETRACTED');

GRANT SELECT ON stats.release_flags TO stats_reader;
