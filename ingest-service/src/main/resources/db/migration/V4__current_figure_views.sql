-- Current figures as plain views (each key's row from the release currently covering its year),
-- for SQL readers: notebooks, BI tools, and the peer benchmark (PostGraphile) reading the same
-- tables as stats-service.
CREATE VIEW stats.current_population AS
SELECT f.* FROM stats.population f
JOIN stats.coverage cv ON cv.dataset = 'population' AND cv.year = f.year AND cv.release_id = f.release_id;

CREATE VIEW stats.current_asylum_application AS
SELECT f.* FROM stats.asylum_application f
JOIN stats.coverage cv ON cv.dataset = 'asylum-applications' AND cv.year = f.year AND cv.release_id = f.release_id;

CREATE VIEW stats.current_asylum_decision AS
SELECT f.* FROM stats.asylum_decision f
JOIN stats.coverage cv ON cv.dataset = 'asylum-decisions' AND cv.year = f.year AND cv.release_id = f.release_id;

GRANT SELECT ON stats.current_population, stats.current_asylum_application, stats.current_asylum_decision TO stats_reader;
