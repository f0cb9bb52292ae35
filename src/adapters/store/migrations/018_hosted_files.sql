-- Charts and files the bot serves from its own address (PUBLIC_URL) for Teams, which shows pictures
-- and links by URL: each is kept until its link expires, so every replica can serve it.
CREATE TABLE hosted_files (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  mime_type   text NOT NULL,
  content     bytea NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX hosted_files_expiry ON hosted_files (expires_at);
