-- Cluster-level objects that Flyway cannot own: the roles and the database.
-- Production creates the same through its operator (deploy/k8s); locally and in tests this file does.
CREATE ROLE asylum_owner LOGIN PASSWORD 'asylum_owner';
CREATE ROLE stats_reader NOLOGIN;
CREATE ROLE stats_service LOGIN PASSWORD 'stats_service' IN ROLE stats_reader;
CREATE DATABASE asylum_stats OWNER asylum_owner;
