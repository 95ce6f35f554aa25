-- Vintage store v2: every release's figures in a table of its own, attached to its dataset's
-- table as a LIST partition when the release is published.
--
-- * An upload is COPied into an unindexed staging table ingest.<dataset table>_r<release id>
--   (not readable by stats-service's role: unpublished figures stay on the write side), indexed
--   after the load (ingest.seal_figures). A replaced upload's table is dropped whole.
-- * Publication moves the release's tables into schema stats and attaches them
--   (ingest.publish_figures): ATTACH PARTITION takes SHARE UPDATE EXCLUSIVE on the parent, which
--   does not block readers, and the CHECK constraint added when sealing spares it a scan.
-- * Which release is in force for each dataset and year, now or as of a release, is defined once,
--   in stats.in_force; stats.coverage is its current answer, rewritten in the publication's
--   transaction. Readers bind the releases in force so that only their partitions are planned and read.

DROP VIEW stats.current_population, stats.current_asylum_application, stats.current_asylum_decision;

-- the v1 tables' indexes go with them (their names are taken by the parents' below)
DROP INDEX stats.population_by_release_year, stats.population_by_origin, stats.population_by_asylum,
  stats.asylum_application_by_release_year, stats.asylum_application_by_origin, stats.asylum_application_by_asylum,
  stats.asylum_decision_by_release_year, stats.asylum_decision_by_origin, stats.asylum_decision_by_asylum;
ALTER TABLE stats.population RENAME TO population_v1;
ALTER TABLE stats.asylum_application RENAME TO asylum_application_v1;
ALTER TABLE stats.asylum_decision RENAME TO asylum_decision_v1;

CREATE TABLE stats.population (LIKE stats.population_v1 INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY LIST (release_id);
CREATE TABLE stats.asylum_application (LIKE stats.asylum_application_v1 INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY LIST (release_id);
CREATE TABLE stats.asylum_decision (LIKE stats.asylum_decision_v1 INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY LIST (release_id);

-- Defined on the parents only: ingest.seal_figures builds the same indexes on each staged table,
-- which ATTACH PARTITION then adopts instead of building them during the publication.
CREATE INDEX population_by_year ON ONLY stats.population (year);
CREATE INDEX population_by_origin ON ONLY stats.population (origin, year);
CREATE INDEX population_by_asylum ON ONLY stats.population (asylum, year);
CREATE INDEX asylum_application_by_year ON ONLY stats.asylum_application (year);
CREATE INDEX asylum_application_by_origin ON ONLY stats.asylum_application (origin, year);
CREATE INDEX asylum_application_by_asylum ON ONLY stats.asylum_application (asylum, year);
CREATE INDEX asylum_decision_by_year ON ONLY stats.asylum_decision (year);
CREATE INDEX asylum_decision_by_origin ON ONLY stats.asylum_decision (origin, year);
CREATE INDEX asylum_decision_by_asylum ON ONLY stats.asylum_decision (asylum, year);

GRANT SELECT ON stats.population, stats.asylum_application, stats.asylum_decision TO stats_reader;

-- The staging table of a dataset table (given by its name in schema stats) and a release.
CREATE FUNCTION ingest.staged_figures(dataset_table text, release bigint) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT format('ingest.%I', dataset_table || '_r' || release)
$$;

-- Indexes a loaded staging table like its parent, pins it to its release and gathers statistics.
CREATE FUNCTION ingest.seal_figures(dataset_table text, release bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  staged text := ingest.staged_figures(dataset_table, release);
  parent regclass := format('stats.%I', dataset_table)::regclass;
  definition text;
BEGIN
  FOR definition IN
    SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = parent ORDER BY i.indexrelid
  LOOP
    -- "CREATE INDEX name ON ONLY stats.t USING btree (cols)" -> "CREATE INDEX ON ingest.t_rN USING btree (cols)"
    EXECUTE regexp_replace(definition, '^CREATE (UNIQUE )?INDEX \S+ ON (ONLY )?\S+ ', 'CREATE \1INDEX ON ' || staged || ' ');
  END LOOP;
  EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (release_id = %s)', staged, 'release_' || release, release);
  EXECUTE format('ANALYZE %s', staged);
END $$;

-- The partitioned figure tables of schema stats (one per dataset), by name.
CREATE FUNCTION ingest.figure_tables() RETURNS SETOF text
LANGUAGE sql STABLE AS $$
  SELECT c.relname::text FROM pg_partitioned_table p
  JOIN pg_class c ON c.oid = p.partrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'stats'
$$;

-- Moves a release's staged table of one dataset into schema stats and attaches it, when staged.
CREATE FUNCTION ingest.attach_figures(dataset_table text, release bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF to_regclass(ingest.staged_figures(dataset_table, release)) IS NOT NULL THEN
    EXECUTE format('ALTER TABLE %s SET SCHEMA stats', ingest.staged_figures(dataset_table, release));
    EXECUTE format('ALTER TABLE stats.%I ATTACH PARTITION stats.%I FOR VALUES IN (%s)',
                   dataset_table, dataset_table || '_r' || release, release);
  END IF;
END $$;

-- Publishes a release's staged figures, every dataset; one already attached is left as it is.
CREATE FUNCTION ingest.publish_figures(release bigint) RETURNS void
LANGUAGE sql AS $$
  SELECT ingest.attach_figures(t, release) FROM ingest.figure_tables() t;
$$;

-- Drops a release's staged tables (a draft deleted).
CREATE FUNCTION ingest.drop_staged_figures(release bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  dataset_table text;
BEGIN
  FOR dataset_table IN SELECT ingest.figure_tables() LOOP
    EXECUTE format('DROP TABLE IF EXISTS %s', ingest.staged_figures(dataset_table, release));
  END LOOP;
END $$;

-- Which release is in force for each dataset and year: the latest publication covering the year,
-- among all published releases (as_of NULL: what is current) or those published up to and
-- including release as_of (nothing when as_of is not a published release).
CREATE FUNCTION stats.in_force(as_of bigint) RETURNS TABLE (dataset text, year smallint, release_id bigint)
LANGUAGE sql STABLE AS $$
  SELECT DISTINCT ON (rc.dataset, rc.year) rc.dataset, rc.year, rc.release_id
  FROM stats.release_coverage rc
  WHERE as_of IS NULL
     OR (rc.published_on, rc.publication_seq) <= (SELECT published_on, publication_seq FROM stats.release_flags
                                                  WHERE id = as_of AND state = 'PUBLISHED')
  ORDER BY rc.dataset, rc.year, rc.published_on DESC, rc.publication_seq DESC
$$;

CREATE OR REPLACE FUNCTION ingest.recompute_coverage() RETURNS void LANGUAGE sql AS $$
  DELETE FROM stats.coverage;
  INSERT INTO stats.coverage (dataset, year, release_id) SELECT dataset, year, release_id FROM stats.in_force(NULL);
$$;

-- Move the v1 rows: one table per release, attached when the release is visible to readers.
DO $$
DECLARE
  dataset_table text;
  release bigint;
  visible boolean;
BEGIN
  FOREACH dataset_table IN ARRAY ARRAY['population', 'asylum_application', 'asylum_decision'] LOOP
    FOR release, visible IN
      EXECUTE format('SELECT DISTINCT f.release_id, coalesce(r.state IN (''PUBLISHED'', ''RETRACTED''), false)'
                     ' FROM stats.%I f LEFT JOIN ingest.release r ON r.id = f.release_id', dataset_table || '_v1')
    LOOP
      EXECUTE format('CREATE TABLE %s (LIKE stats.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                     ingest.staged_figures(dataset_table, release), dataset_table);
      EXECUTE format('INSERT INTO %s SELECT * FROM stats.%I WHERE release_id = %s',
                     ingest.staged_figures(dataset_table, release), dataset_table || '_v1', release);
      PERFORM ingest.seal_figures(dataset_table, release);
      IF visible THEN
        PERFORM ingest.attach_figures(dataset_table, release);
      END IF;
    END LOOP;
    EXECUTE format('DROP TABLE stats.%I', dataset_table || '_v1');
  END LOOP;
END $$;

SELECT ingest.recompute_coverage();

-- Current figures as plain views, for SQL readers (notebooks, BI tools, the peer benchmark). The
-- releases in force come from an initplan, so PostgreSQL skips the other partitions when it runs.
CREATE VIEW stats.current_population AS
SELECT f.* FROM stats.population f
JOIN stats.coverage cv ON cv.dataset = 'population' AND cv.year = f.year AND cv.release_id = f.release_id
WHERE f.release_id = ANY (ARRAY(SELECT DISTINCT release_id FROM stats.coverage WHERE dataset = 'population'));

CREATE VIEW stats.current_asylum_application AS
SELECT f.* FROM stats.asylum_application f
JOIN stats.coverage cv ON cv.dataset = 'asylum-applications' AND cv.year = f.year AND cv.release_id = f.release_id
WHERE f.release_id = ANY (ARRAY(SELECT DISTINCT release_id FROM stats.coverage WHERE dataset = 'asylum-applications'));

CREATE VIEW stats.current_asylum_decision AS
SELECT f.* FROM stats.asylum_decision f
JOIN stats.coverage cv ON cv.dataset = 'asylum-decisions' AND cv.year = f.year AND cv.release_id = f.release_id
WHERE f.release_id = ANY (ARRAY(SELECT DISTINCT release_id FROM stats.coverage WHERE dataset = 'asylum-decisions'));

GRANT SELECT ON stats.current_population, stats.current_asylum_application, stats.current_asylum_decision TO stats_reader;
