/**
 * The users table of the directory (PostgreSQL): the one definition db:schema-load, the local
 * cloud and the tests apply. Handles and emails are unique case-insensitively; the prefix
 * indexes serve the people search.
 */
export const USERS_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS users (
  uuid uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  handle text NOT NULL CHECK (handle ~ '^[A-Za-z0-9_]{1,32}$'),
  display_name text NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 100),
  email text NOT NULL CHECK (position('@' in email) > 1),
  cognito_user_id text UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS users_handle_lower_key ON users (lower(handle));
CREATE UNIQUE INDEX IF NOT EXISTS users_email_lower_key ON users (lower(email));
CREATE INDEX IF NOT EXISTS users_handle_prefix_idx ON users (lower(handle) text_pattern_ops);
CREATE INDEX IF NOT EXISTS users_display_name_prefix_idx ON users (lower(display_name) text_pattern_ops);
`;
