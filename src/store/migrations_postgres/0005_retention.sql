-- Days an organisation keeps individual ballots and words; NULL: the server's --ballot-retention-days.
ALTER TABLE organisations ADD COLUMN retention_days INTEGER;
