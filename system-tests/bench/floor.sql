-- The same four aggregates as plain SQL over the same view, for pgbench: the floor.
\set i random(1, 20)
\set k random(1, 4)
SELECT CASE WHEN :k = 1 THEN (SELECT json_agg(t) FROM (SELECT year, sum(refugees) FROM stats.current_population WHERE origin = (ARRAY['SYR','AFG','UKR','VEN','SSD','MMR','COD','SDN','SOM','CAF','ERI','BDI','IRQ','NGA','CHN','COL','PAK','IRN','TUR','RUS'])[:i] AND year BETWEEN 2000 AND 2023 GROUP BY year ORDER BY year) t)
            WHEN :k = 2 THEN (SELECT json_agg(t) FROM (SELECT asylum, sum(asylum_seekers) s FROM stats.current_population WHERE origin = (ARRAY['SYR','AFG','UKR','VEN','SSD','MMR','COD','SDN','SOM','CAF','ERI','BDI','IRQ','NGA','CHN','COL','PAK','IRN','TUR','RUS'])[:i] AND year = 2023 GROUP BY asylum ORDER BY s DESC NULLS LAST LIMIT 10) t)
            WHEN :k = 3 THEN (SELECT json_agg(t) FROM (SELECT sum(refugees) FROM stats.current_population WHERE origin = (ARRAY['SYR','AFG','UKR','VEN','SSD','MMR','COD','SDN','SOM','CAF','ERI','BDI','IRQ','NGA','CHN','COL','PAK','IRN','TUR','RUS'])[:i] AND year BETWEEN 2013 AND 2023) t)
            ELSE (SELECT json_agg(t) FROM (SELECT sum(refugees) FILTER (WHERE year BETWEEN 2021 AND 2023) p, sum(refugees) FILTER (WHERE year BETWEEN 2017 AND 2019) b FROM stats.current_population WHERE origin = (ARRAY['SYR','AFG','UKR','VEN','SSD','MMR','COD','SDN','SOM','CAF','ERI','BDI','IRQ','NGA','CHN','COL','PAK','IRN','TUR','RUS'])[:i]) t)
       END;
