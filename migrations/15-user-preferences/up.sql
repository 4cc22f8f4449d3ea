-- Each user's own choices (issue 18): the UI's language and theme. A user without a
-- row, or with NULL, has chosen nothing: they see the plant's default language
-- (`default_language` in settings, set by the admin) and the theme their system asks
-- for. Languages are BCP 47 tags Plantlog ships (en, de, es, zh); themes light, dark.
CREATE TABLE user_preferences (
    user_id     INTEGER PRIMARY KEY REFERENCES users(id),
    language    TEXT,
    theme       TEXT,
    updated_at  INTEGER NOT NULL
);
