-- Who created a release and who uploaded each file, by token subject (`sub`): user names can
-- change, subjects cannot, so the owner and four-eyes rules compare subjects. The names stay for
-- display. Rows from before this migration carry no subject; for them the names are compared.
ALTER TABLE ingest.release ADD COLUMN created_by_subject text;
ALTER TABLE ingest.upload ADD COLUMN uploaded_by_subject text;
CREATE INDEX upload_uploaders ON ingest.upload (release_id, uploaded_by_subject);
