-- asylum-stats schema, owned by ingest-service. Schema `ingest`: the write side (releases,
-- uploads, audit). Schema `stats`: what stats-service may read (figures of every vintage, the
-- country reference, published releases and which release is current for each dataset-year).

CREATE SCHEMA IF NOT EXISTS ingest;
CREATE SCHEMA IF NOT EXISTS stats;

-- stats-service's login role is a member of this group role; the operator or bootstrap creates it
-- where the migration's owner may not.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'stats_reader') THEN
    CREATE ROLE stats_reader NOLOGIN;
  END IF;
END $$;

CREATE TABLE ingest.release (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title             text        NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  source            text        CHECK (length(source) <= 2000),
  published_on      date        NOT NULL,
  preliminary_years int[]       NOT NULL DEFAULT '{}',
  state             text        NOT NULL CHECK (state IN ('DRAFT', 'SUBMITTED', 'PUBLISHED', 'REJECTED', 'RETRACTED')),
  created_by        text        NOT NULL,
  created_at        timestamptz NOT NULL,
  submitted_at      timestamptz,
  rejection_reason  text,
  published_by      text,
  published_at      timestamptz,
  -- order of publication here: breaks ties between releases of the same published_on
  publication_seq   bigint UNIQUE,
  retracted_by      text,
  retracted_at      timestamptz,
  version           integer     NOT NULL DEFAULT 0
);
CREATE SEQUENCE ingest.publication_seq;

-- Every upload attempt, valid or not, with its report. At most one valid upload per release and
-- dataset is current: the file the release carries.
CREATE TABLE ingest.upload (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  release_id   bigint      NOT NULL REFERENCES ingest.release (id) ON DELETE CASCADE,
  dataset      text        NOT NULL CHECK (dataset IN ('population', 'asylum-applications', 'asylum-decisions')),
  sha256       text        NOT NULL,
  size_bytes   bigint      NOT NULL,
  format       text,
  valid        boolean     NOT NULL,
  current      boolean     NOT NULL DEFAULT false,
  row_count    integer     NOT NULL DEFAULT 0,
  years        int[]       NOT NULL DEFAULT '{}',
  report       jsonb       NOT NULL,
  uploaded_by  text        NOT NULL,
  uploaded_at  timestamptz NOT NULL,
  CHECK (valid OR NOT current)
);
CREATE UNIQUE INDEX upload_current_per_dataset ON ingest.upload (release_id, dataset) WHERE current;
CREATE INDEX upload_by_release ON ingest.upload (release_id, dataset, sha256);

CREATE TABLE ingest.audit_event (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  release_id bigint      NOT NULL,
  action     text        NOT NULL,
  actor      text        NOT NULL,
  at         timestamptz NOT NULL,
  detail     jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_event_by_release ON ingest.audit_event (release_id, id);

-- Country reference and reconciled aliases (seeded by V2).
CREATE TABLE stats.country (
  code        text PRIMARY KEY,
  iso_code    text UNIQUE,
  unhcr_code  text NOT NULL UNIQUE,
  name        text NOT NULL,
  region      text,
  unsd_region text,
  subregion   text
);
CREATE TABLE stats.country_alias (
  alias text PRIMARY KEY,
  code  text NOT NULL REFERENCES stats.country (code)
);

-- Figures of every vintage: one row per key per release that carried it. Rows of a release stay
-- invisible until it is published (stats.coverage then points at it). Counts are NULL when not
-- reported, never 0.
CREATE TABLE stats.population (
  release_id        bigint   NOT NULL,
  year              smallint NOT NULL,
  origin            text     NOT NULL,
  asylum            text     NOT NULL,
  refugees          bigint,
  asylum_seekers    bigint,
  returned_refugees bigint,
  idps              bigint,
  returned_idps     bigint,
  stateless         bigint,
  others_of_concern bigint,
  other_in_need     bigint,
  host_community    bigint
);
CREATE TABLE stats.asylum_application (
  release_id       bigint   NOT NULL,
  year             smallint NOT NULL,
  origin           text     NOT NULL,
  asylum           text     NOT NULL,
  procedure        text     NOT NULL,
  application_type text     NOT NULL,
  decision_level   text     NOT NULL,
  unit             text     NOT NULL CHECK (unit IN ('PERSONS', 'CASES')),
  applied          bigint
);
CREATE TABLE stats.asylum_decision (
  release_id               bigint   NOT NULL,
  year                     smallint NOT NULL,
  origin                   text     NOT NULL,
  asylum                   text     NOT NULL,
  procedure                text     NOT NULL,
  decision_level           text     NOT NULL,
  unit                     text     NOT NULL CHECK (unit IN ('PERSONS', 'CASES')),
  recognized               bigint,
  complementary_protection bigint,
  rejected                 bigint,
  otherwise_closed         bigint,
  total_decisions          bigint
);
-- Indexes are created after the bulk load of the first release would be cheaper, but releases
-- arrive one at a time: keep the few that the coverage join and the country filters need.
CREATE INDEX population_by_release_year ON stats.population (release_id, year);
CREATE INDEX population_by_origin ON stats.population (origin, year);
CREATE INDEX population_by_asylum ON stats.population (asylum, year);
CREATE INDEX asylum_application_by_release_year ON stats.asylum_application (release_id, year);
CREATE INDEX asylum_application_by_origin ON stats.asylum_application (origin, year);
CREATE INDEX asylum_application_by_asylum ON stats.asylum_application (asylum, year);
CREATE INDEX asylum_decision_by_release_year ON stats.asylum_decision (release_id, year);
CREATE INDEX asylum_decision_by_origin ON stats.asylum_decision (origin, year);
CREATE INDEX asylum_decision_by_asylum ON stats.asylum_decision (asylum, year);

-- Which release's figures are current for each dataset and year. Maintained by publication and
-- retraction in the same transaction as the state change (see ingest.recompute_coverage).
CREATE TABLE stats.coverage (
  dataset    text     NOT NULL,
  year       smallint NOT NULL,
  release_id bigint   NOT NULL,
  PRIMARY KEY (dataset, year)
);

-- Releases visible to readers: published ones, and retracted ones so that old answers stay traceable.
CREATE VIEW stats.release AS
SELECT r.id, r.title, r.source, r.published_on, r.preliminary_years, r.state, r.publication_seq, r.published_at,
       coalesce((SELECT array_agg(u.dataset ORDER BY u.dataset) FROM ingest.upload u
                 WHERE u.release_id = r.id AND u.current), '{}') AS datasets
FROM ingest.release r
WHERE r.state IN ('PUBLISHED', 'RETRACTED');

-- The years each published release's files cover, in publication order: the input of "current"
-- and of "as of".
CREATE VIEW stats.release_coverage AS
SELECT u.dataset, y.year::smallint AS year, r.id AS release_id, r.published_on, r.publication_seq
FROM ingest.release r
JOIN ingest.upload u ON u.release_id = r.id AND u.current
CROSS JOIN LATERAL unnest(u.years) AS y(year)
WHERE r.state = 'PUBLISHED';

CREATE FUNCTION ingest.recompute_coverage() RETURNS void LANGUAGE sql AS $$
  DELETE FROM stats.coverage;
  INSERT INTO stats.coverage (dataset, year, release_id)
  SELECT DISTINCT ON (dataset, year) dataset, year, release_id
  FROM stats.release_coverage
  ORDER BY dataset, year, published_on DESC, publication_seq DESC;
$$;

GRANT USAGE ON SCHEMA stats TO stats_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA stats TO stats_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA stats GRANT SELECT ON TABLES TO stats_reader;
