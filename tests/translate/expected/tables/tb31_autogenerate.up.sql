CREATE TABLE tb_invoices (
    id SERIAL NOT NULL, 
    number VARCHAR(32) NOT NULL, 
    customer_id INTEGER NOT NULL, 
    total NUMERIC(12, 2) DEFAULT '0' NOT NULL, 
    issued_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL, 
    paid BOOLEAN DEFAULT false NOT NULL, 
    notes TEXT, 
    CONSTRAINT pk_tb_invoices PRIMARY KEY (id), 
    CONSTRAINT fk_tb_invoices_customer_id_customer_accounts FOREIGN KEY(customer_id) REFERENCES tbs.customer_accounts (id) ON DELETE RESTRICT, 
    CONSTRAINT uq_tb_invoices_number UNIQUE (number)
);

CREATE INDEX ix_tb_invoices_customer_id ON tb_invoices (customer_id);
