-- Demographics (persons by sex and age, per place) and solutions (resettlement, naturalisation,
-- returns), born in the layout of V6: one partition per release, attached at publication.
-- ingest.figure_tables() finds them as it finds the other three.
ALTER TABLE ingest.upload DROP CONSTRAINT upload_dataset_check;
ALTER TABLE ingest.upload ADD CONSTRAINT upload_dataset_check
    CHECK (dataset IN ('population', 'asylum-applications', 'asylum-decisions', 'demographics', 'solutions'));

CREATE TABLE stats.demographics (
  release_id         bigint   NOT NULL,
  year               smallint NOT NULL,
  origin             text     NOT NULL,
  asylum             text     NOT NULL,
  population_type    text     NOT NULL,
  location_type      text     NOT NULL,
  accommodation_type text     NOT NULL,
  location           text     NOT NULL,
  f_0_4   bigint, f_5_11 bigint, f_12_17 bigint, f_18_59 bigint, f_60 bigint, f_other bigint, f_total bigint,
  m_0_4   bigint, m_5_11 bigint, m_12_17 bigint, m_18_59 bigint, m_60 bigint, m_other bigint, m_total bigint,
  total   bigint
) PARTITION BY LIST (release_id);

CREATE TABLE stats.solutions (
  release_id        bigint   NOT NULL,
  year              smallint NOT NULL,
  origin            text     NOT NULL,
  asylum            text     NOT NULL,
  returned_refugees bigint,
  resettlement      bigint,
  naturalisation    bigint,
  returned_idps     bigint
) PARTITION BY LIST (release_id);

CREATE INDEX demographics_by_year ON ONLY stats.demographics (year);
CREATE INDEX demographics_by_origin ON ONLY stats.demographics (origin, year);
CREATE INDEX demographics_by_asylum ON ONLY stats.demographics (asylum, year);
CREATE INDEX solutions_by_year ON ONLY stats.solutions (year);
CREATE INDEX solutions_by_origin ON ONLY stats.solutions (origin, year);
CREATE INDEX solutions_by_asylum ON ONLY stats.solutions (asylum, year);

GRANT SELECT ON stats.demographics, stats.solutions TO stats_reader;

-- The current figures as plain relations, as for the other datasets (SQL users and the benchmarks).
CREATE VIEW stats.current_demographics AS
SELECT f.* FROM stats.demographics f
JOIN stats.coverage cv ON cv.dataset = 'demographics' AND cv.year = f.year AND cv.release_id = f.release_id
WHERE f.release_id = ANY (ARRAY(SELECT DISTINCT release_id FROM stats.coverage WHERE dataset = 'demographics'));

CREATE VIEW stats.current_solutions AS
SELECT f.* FROM stats.solutions f
JOIN stats.coverage cv ON cv.dataset = 'solutions' AND cv.year = f.year AND cv.release_id = f.release_id
WHERE f.release_id = ANY (ARRAY(SELECT DISTINCT release_id FROM stats.coverage WHERE dataset = 'solutions'));

GRANT SELECT ON stats.current_demographics, stats.current_solutions TO stats_reader;
