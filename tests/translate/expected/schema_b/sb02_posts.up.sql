CREATE TABLE posts (
    id BIGSERIAL NOT NULL, 
    author_id INTEGER NOT NULL, 
    title VARCHAR(200) NOT NULL, 
    body TEXT DEFAULT '' NOT NULL, 
    tags TEXT[] DEFAULT '{}' NOT NULL, 
    meta JSONB DEFAULT '{}'::jsonb NOT NULL, 
    published BOOLEAN DEFAULT false NOT NULL, 
    PRIMARY KEY (id), 
    FOREIGN KEY(author_id) REFERENCES users (id) ON DELETE CASCADE
);
