CREATE TABLE cns.cn_notes (
    id SERIAL NOT NULL, 
    user_id INTEGER NOT NULL, 
    body TEXT NOT NULL, 
    PRIMARY KEY (id), 
    FOREIGN KEY(user_id) REFERENCES public.cn_users (id) ON DELETE CASCADE
);
