-- Merging contacts: the merged contact stays as a pointer to the one it became, so a link or an
-- open screen that names the old id still finds the person. Merged contacts are out of search.
ALTER TABLE contacts ADD COLUMN merged_into_id INTEGER REFERENCES contacts(id);
CREATE INDEX contacts_merged_into ON contacts (merged_into_id) WHERE merged_into_id IS NOT NULL;
