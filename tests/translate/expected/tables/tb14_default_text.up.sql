CREATE TABLE tb_default_text (
    id SERIAL NOT NULL, 
    score INTEGER DEFAULT 0 NOT NULL, 
    doc JSONB DEFAULT '{}'::jsonb NOT NULL, 
    uid UUID DEFAULT gen_random_uuid(), 
    stamp TIMESTAMP WITHOUT TIME ZONE DEFAULT timezone('utc', now()), 
    PRIMARY KEY (id)
);
