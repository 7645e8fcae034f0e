CREATE TABLE cn_lines (
    id SERIAL NOT NULL, 
    order_id INTEGER NOT NULL, 
    user_id INTEGER, 
    audit_id INTEGER, 
    PRIMARY KEY (id), 
    CONSTRAINT fk_cn_lines_order FOREIGN KEY(order_id) REFERENCES cn_orders (id) ON DELETE CASCADE ON UPDATE RESTRICT, 
    FOREIGN KEY(user_id) REFERENCES cn_users (id), 
    CONSTRAINT fk_cn_lines_audit FOREIGN KEY(audit_id) REFERENCES cns.cn_audit (id)
);
