/*
 * Private interface of the op.* translator: evaluated values, scopes, the
 * per-body run state, and the entry points shared by eval.c (expressions),
 * exec.c (statements), render.c (types, columns, literals) and ops.c (op.*).
 */
#ifndef RETORT_TRANSLATE_TR_H
#define RETORT_TRANSLATE_TR_H

#include "retort/buf.h"
#include "retort/translate.h"
#include "py/pyast.h"
#include "translate/naming.h"

/* Bounds that make any input terminate quickly (loops, recursion). */
#define TR_MAX_STEPS 200000u   /* statements + calls evaluated per body */
#define TR_MAX_CALL_DEPTH 32u  /* nested helper-function calls */
#define TR_MAX_ITEMS 100000u   /* elements of one list, string repeat, range */
#define TR_MAX_DICT_KEYS 10000u /* keys of one dict built by assignment or comprehension */

typedef enum tr_kind {
	V_NONE, V_BOOL, V_INT, V_FLOAT, V_STR,
	V_LIST, V_TUPLE, V_DICT,
	V_REF,     /* a module, class or function not called yet: name is canonical */
	V_OBJ,     /* a call to a SQLAlchemy / Alembic constructor: name + args */
	V_FUNC,    /* a def of this file */
	V_BOUND,   /* self.name, a method not called yet */
	V_SQL,     /* a rendered SQL expression (column, func, comparison) */
	V_TABLE,   /* sa.table(...), sa.Table(...), op.create_table(...) */
	V_TABLE_C, /* table.c */
	V_BIND,    /* op.get_bind() */
	V_DIALECT, /* bind.dialect */
	V_MIGCTX,  /* op.get_context() / context.get_context() */
	V_BATCH,   /* the `batch_op` of op.batch_alter_table(...) */
	V_RESULT,  /* what conn.execute() returned: any use is data access */
	V_CLASS,   /* a class statement of this file, not evaluated yet: def, closure;
	            * i is 1 while it is being evaluated */
	V_ENUMCLS, /* an enum.Enum class of this file (enumcls.c): enumc */
	V_MEMBER,  /* a member of one: enumc, i = its index in the class's members */
} tr_kind;

typedef struct tr_val tr_val;
typedef struct tr_scope tr_scope;
typedef struct tr_enum tr_enum;

/* Evaluated call arguments; `used` marks keywords an op consumed. */
typedef struct tr_args {
	tr_val **pos;
	size_t npos;
	const char **kwn;
	tr_val **kwv;
	bool *used;
	size_t nkw;
	size_t poscap, kwcap;
} tr_args;

typedef struct tr_col {
	const char *name;
	const char *key;           /* key= (Python-side name), else the name */
	tr_val *type;
	bool pk, nullable, nullable_set, unique, index;
	bool py_default, sequence; /* default= (not None); a non-optional sa.Sequence */
	int autoinc;               /* 1 True, 0 False, -1 "auto", 2 "ignore_fk" */
	tr_val *server_default;
	tr_val *comment;           /* NULL: none */
	tr_val *identity, *computed;
	rt_ptrvec fks, checks;     /* sa.ForeignKey / sa.CheckConstraint objects */
	bool in_fk_constraint;     /* named by a table-level sa.ForeignKeyConstraint */
	bool replaced;             /* replaced by a later column of the same key */
	uint32_t off, len;
} tr_col;

typedef struct tr_table {
	const char *name, *schema;
	tr_col **cols;
	size_t ncols;
	bool mapped;               /* a declarative model class of the file (orm.c) */
	const char *model;         /* its class name */
} tr_table;

struct tr_val {
	tr_kind kind;
	uint32_t off, len;          /* where it was written */
	const char *s;              /* STR value, INT/FLOAT text, SQL text */
	size_t slen;
	const py_str *lit;          /* STR taken verbatim from this literal, else NULL */
	int64_t i;                  /* INT value; BOOL 0/1 */
	tr_val **items;             /* LIST/TUPLE items; DICT key,value pairs */
	size_t n, cap;              /* cap: allocated items of a LIST grown by append, pairs
	                             * of a DICT grown by dict_set */
	const char *name;           /* REF/OBJ canonical name, BOUND method, SQL key */
	const char *written;        /* REF/OBJ: the dotted name as written */
	tr_args args;               /* OBJ arguments */
	tr_val *self;               /* BOUND receiver */
	const py_stmt *def;         /* FUNC; CLASS: the class statement */
	const py_expr *lambda;      /* FUNC of a lambda (def NULL) */
	const tr_enum *enumc;       /* ENUMCLS, MEMBER */
	tr_scope *closure;          /* FUNC, CLASS */
	tr_table *table;            /* TABLE, TABLE_C, BATCH; SQL: table.c.x's table */
	bool conv;                  /* STR from op.f(): a generated name, truncated when too long */
	const rt_assume_entry *assumed; /* a value given by retort.yaml's assume:; calling it
	                                 * with any arguments gives the value again */
	const char *pytype;         /* STR standing for a "datetime", "date" or "uuid" made
	                             * when the step runs (harmless.c) */
	rt_stmt *query;             /* RESULT: the statement that ran the query, if exactly one */
	const char *dflt;           /* DICT of collections.defaultdict(): "list", "dict" or
	                             * "int", what a missing key reads as */
	const tr_val *reflected;    /* OBJ sa.MetaData after reflect(bind): its only= list, or
	                             * None for every table (reflect.c) */
	bool scalars;               /* RESULT of .scalars(): rows are their first values;
	                             * `i` counts the rows read (fetchone, next) */
};

/* Names bound in one function call (or the module). */
struct tr_scope {
	tr_scope *parent;
	const char **names;
	tr_val **vals;
	const py_expr **lazy;       /* module level: value not evaluated yet */
	size_t n, cap;
	py_names globals;           /* a function's `global` names: the module's */
};

struct rt_translate_ctx {
	rt_arena *arena;
	const rt_config *cfg;
	rt_diags warnings;          /* rt_translate_ctx_warnings */
	rt_strv enums;              /* "schema\x1fname" created by create_table this run */
	const tr_conventions *conventions; /* MetaData's naming_convention */
	rt_loc run_time_value;      /* the first datetime/uuid value evaluated (path NULL: none) */
	const char *run_time_name;
	bool guards;                /* rt_translate_ctx_allow_guards */
};

/* Control flow out of a statement list. */
enum { TR_NEXT = 0, TR_BREAK, TR_CONTINUE, TR_RETURN };

typedef struct tr_run {
	rt_arena *arena;
	const rt_revfile *rf;
	const rt_source *src;
	rt_translate_ctx *ctx;
	rt_error *err;
	const char *fname;          /* "upgrade" / "downgrade" */
	rt_stmtlist *out;
	rt_stmtlist *queue;         /* batch_op statements, run when the `with` block ends */
	bool queueing;              /* the op being translated came through batch_op */
	bool autocommit;            /* inside autocommit_block() */
	unsigned steps, depth, module_depth;
	unsigned in_try;            /* inside a try body: a raise there is not the body's end */
	uint32_t cur_off, cur_len;  /* the op call being translated, for missing arguments */
	tr_scope *module;
	tr_val *retval;             /* value of the last `return` */
	rt_ptrvec fresh_stmts, fresh_results; /* queries read (tr_query_rows), their results */
	const char *naming_table, *naming_schema; /* the table whose columns and constraints
	                                           * are being rendered, for conventions */
} tr_run;

/* ---- errors (exec.c) ---- */
int tr_refuse(tr_run *r, uint32_t off, uint32_t len, const char *fmt, ...) RT_PRINTF(4, 5);
int tr_refuse_type(tr_run *r, const tr_val *t);
int tr_limit(tr_run *r, uint32_t off, uint32_t len, const char *what);
/* A finding that does not stop the translation (rt_translate_ctx_warnings);
 * kind is a static string. */
void tr_warn(tr_run *r, uint32_t off, uint32_t len, const char *kind, const char *fmt, ...)
	RT_PRINTF(5, 6);
/* The same as a note: what the translation took as given (kind "assumed"). */
void tr_note(tr_run *r, uint32_t off, uint32_t len, const char *kind, const char *fmt, ...)
	RT_PRINTF(5, 6);
/* "versions/x.sql" beside the version file, for remedies. */
const char *tr_sidecar(tr_run *r);

/* ---- values and expressions (eval.c) ---- */
tr_val *tr_new(tr_run *r, tr_kind kind, uint32_t off, uint32_t len);
tr_val *tr_str(tr_run *r, const char *s, size_t n, uint32_t off, uint32_t len);
tr_val *tr_int(tr_run *r, int64_t i, uint32_t off, uint32_t len);
int tr_eval(tr_run *r, tr_scope *sc, const py_expr *e, tr_val **out);
int tr_eval_args(tr_run *r, tr_scope *sc, const py_expr *call, tr_args *out);
int tr_call_value(tr_run *r, tr_scope *sc, tr_val *fn, tr_args *a, const py_expr *call,
                  tr_val **out);
int tr_truth(tr_run *r, const tr_val *v, bool *out);
/* a <op> b for literal operands (py_op: + - * // %% and str %% formatting). */
int tr_binary(tr_run *r, int op, const tr_val *a, const tr_val *b, uint32_t off, uint32_t len,
              tr_val **out);
/* l <op> rv where l is a SQL expression (py_op EQ, NE, LT..., IS, IS_NOT):
 * its SQL text with literal binds, `IS NULL` for None. */
int tr_sql_compare(tr_run *r, const tr_val *l, int op, tr_val *rv, uint32_t off,
                   uint32_t len, tr_val **out);
/* table.c.<name> of a V_TABLE_C: the column as SQL, its table the FROM. */
int tr_table_column(tr_run *r, const tr_val *tc, const char *name, uint32_t off, uint32_t len,
                    tr_val **out);
/* str(v) for a literal; false when v has no literal text. */
bool tr_to_text(tr_run *r, const tr_val *v, rt_buf *b);
void tr_scope_set(tr_run *r, tr_scope *sc, const char *name, tr_val *v);
/* Binds name to expression e, evaluated in the module scope on first use. */
void tr_scope_lazy(tr_run *r, tr_scope *sc, const char *name, const py_expr *e);
/* A reference to the dotted Python name `full` (an import). */
tr_val *tr_ref(tr_run *r, const char *full, uint32_t off, uint32_t len);
/* True when retort.yaml's assume: or types: names `full` or a name inside it
 * (a module or object the file imports to reach a declared name). */
bool tr_declared(tr_run *r, const char *full);
int tr_bind_target(tr_run *r, tr_scope *sc, const py_expr *t, tr_val *v);
bool tr_is(const tr_val *v, const char *name);

/* Argument access: positional index idx (or SIZE_MAX) or keyword name. */
tr_val *tr_arg(tr_args *a, size_t idx, const char *name);
/* Refuses keywords not marked used and positionals beyond npos_max. */
int tr_args_check(tr_run *r, tr_args *a, size_t npos_max, const char *what,
                  uint32_t off, uint32_t len);
/* Marks the named keywords used (ignored arguments). */
void tr_args_ignore(tr_args *a, const char *const *names);

/* ---- statements (exec.c) ---- */
int tr_exec_block(tr_run *r, tr_scope *sc, const py_stmts *body, int *flow);
void tr_emit(tr_run *r, rt_buf *sql, uint32_t off);
void tr_emit_stmt(tr_run *r, rt_stmt *st);
/* The rows a query result finds on a fresh database, guarded (exec.c). */
int tr_query_rows(tr_run *r, tr_val *result, uint32_t at, uint32_t len, const char *what,
                  tr_val ***rows, size_t *n);
/* ---- reflection (reflect.c) ---- */
/* meta.reflect(bind), meta.tables.get(name): TR_NOT_HANDLED for other methods. */
int tr_reflect_method(tr_run *r, tr_val *self, const char *name, tr_args *a, uint32_t off,
                      uint32_t len, tr_val **out);
/* meta.tables of a reflected MetaData: TR_NOT_HANDLED for other attributes. */
int tr_reflect_attr(tr_run *r, tr_val *meta, const char *attr, uint32_t off, uint32_t len,
                    tr_val **out);
/* meta.tables[key]: a table known by its name. */
int tr_reflected_table(tr_run *r, const tr_val *tables, const tr_val *key, uint32_t off,
                       uint32_t len, tr_val **out);
/* sa.Table(..., autoload_with=bind / autoload=True): allowed with guards. */
int tr_autoload_args(tr_run *r, tr_args *a, uint32_t off, uint32_t len);

/* result.rowcount of a change on a fresh database, 0, guarded (exec.c). */
int tr_query_rowcount(tr_run *r, tr_val *result, uint32_t at, uint32_t len, tr_val **out);

/* ---- rendering (render.c) ---- */
int tr_render_type(tr_run *r, rt_buf *b, tr_val *t);
void tr_render_literal(rt_buf *b, const tr_val *v);
int tr_render_sql(tr_run *r, rt_buf *b, tr_val *v, const char *what);
/* The text of an sa.text(...) with its bind parameters, whitespace as written
 * (SQL inside DDL: CHECK, DEFAULT, index expressions). */
int tr_render_text(tr_run *r, rt_buf *b, rt_stmt *st, const tr_val *text);
/* The same for a whole statement (op.execute): surrounding whitespace is
 * dropped, as Alembic's output does. */
int tr_render_statement(tr_run *r, rt_buf *b, rt_stmt *st, const tr_val *text);
/* The sequence options of sa.Identity/sa.Sequence keywords (increment=, start=,
 * ..., cycle=) appended to opts, space-separated, in SQLAlchemy 1.4's order;
 * START WITH start when start= is not given and start is not NULL. */
int tr_identity_options(tr_run *r, tr_args *a, const char *start, rt_buf *opts);
/* s[start, end), a SQL string sent to the driver with parameters (a dict or a
 * tuple), as psycopg2 formats it: %(name)s or %s is the value as psycopg2
 * adapts it, %% a percent sign; anything else refused. */
int tr_render_pyformat(tr_run *r, rt_buf *b, rt_stmt *st, const tr_val *s, size_t start,
                       size_t end, const tr_val *params);
int tr_render_default(tr_run *r, rt_buf *b, tr_val *d);
void tr_qualified(rt_buf *b, const char *schema, const char *name);
int tr_get_str(tr_run *r, const tr_val *v, const char *what, const char **out);
int tr_get_opt_str(tr_run *r, const tr_val *v, const char *what, const char **out);
/* *out holds the default, kept when v is absent or None. */
int tr_get_bool(tr_run *r, const tr_val *v, const char *what, bool *out);
int tr_get_names(tr_run *r, const tr_val *v, const char *what, rt_strv *out);
int tr_parse_column(tr_run *r, tr_val *obj, tr_col **out);
/* autoinc: the table's autoincrement column (rendered SERIAL when c is it), or NULL. */
int tr_column_spec(tr_run *r, rt_buf *b, const tr_col *c, const tr_col *autoinc);
/* The autoincrement column of a primary key (SQLAlchemy's rules), or NULL. */
int tr_autoinc_column(tr_run *r, tr_col **pk, size_t npk, tr_col **out);
bool tr_is_enum(const tr_val *t);
int tr_enum_info(tr_run *r, tr_val *t, const char **name, const char **schema,
                 rt_strv *values, bool *native);
int tr_render_enum_create(tr_run *r, rt_buf *b, tr_val *t);
int tr_render_fk(tr_run *r, rt_buf *b, const char *name, const rt_strv *cols,
                 const char *ref_schema, const char *ref_table, const rt_strv *ref_cols,
                 tr_args *opts, uint32_t off, uint32_t len);
int tr_constraint_tail(tr_run *r, rt_buf *b, tr_args *a);
/* [CONSTRAINT name ]CHECK (expr)[ DEFERRABLE...] of an sa.CheckConstraint. */
int tr_render_check(tr_run *r, rt_buf *b, tr_val *ck);
/* "CONSTRAINT name " when name is not NULL. */
void tr_constraint_name(rt_buf *b, const char *name);
/* a, b, c with each name quoted as needed. */
void tr_name_list(rt_buf *b, const rt_strv *names);
/* 'a', 'b', 'c' as SQL string literals. */
void tr_literal_list(rt_buf *b, const rt_strv *values);

/* ---- extension libraries' column types (ext.c) ---- */
enum { TR_NOT_EXT = 1 };
/* Whether the dotted name is a column type of sqlalchemy_utils, sqlmodel or citext
 * that ext.c renders. */
bool tr_is_ext_type(const char *written);
/* Renders such a type as its PostgreSQL dialect does; TR_NOT_EXT when t is none. */
int tr_render_ext_type(tr_run *r, rt_buf *b, tr_val *t);

/* ---- SELECT queries of data loops (query.c), only with guards ---- */
/* Whether v is a select() query (sa.select(...), table.select(), and methods on them). */
bool tr_is_query(const tr_val *v);
/* query.<name>(...): where, filter, distinct, limit, offset, order_by. */
int tr_query_method(tr_run *r, tr_val *self, const char *name, tr_args *a, uint32_t off,
                    uint32_t len, tr_val **out);
/* SELECT ... FROM ... [WHERE ...]: the rows q finds (ORDER BY left out). */
int tr_render_query(tr_run *r, rt_buf *b, tr_val *q);

/* ---- the ORM: Session and declarative model classes (orm.c) ---- */
/* Evaluates a class statement based on a declarative Base into a mapped
 * table (V_TABLE) in place; TR_NOT_HANDLED when its base is none. */
int tr_orm_class(tr_run *r, tr_val *cls, uint32_t off, uint32_t len);
/* X.column (by its key), X.__tablename__, X.__table__ of a model class. */
int tr_orm_attr(tr_run *r, const tr_val *model, const char *attr, uint32_t off,
                uint32_t len, tr_val **out);
/* sessionmaker(...)(...) gives the Session those arguments make; TR_NOT_HANDLED
 * when fn is not a sessionmaker. */
int tr_orm_call(tr_run *r, tr_val *fn, tr_args *a, uint32_t off, uint32_t len, tr_val **out);
/* sqlalchemy.orm.Session(...) not called yet. */
bool tr_is_session(const tr_val *v);
/* Refuses a Session that is not bound to the migration's connection as
 * Alembic holds it (in a transaction); off/len: where it is used. */
int tr_orm_session_check(tr_run *r, tr_val *session, uint32_t off, uint32_t len);
/* session.<name>(...) and query.<name>(...) of session.query(); TR_NOT_HANDLED
 * when self is neither. */
int tr_orm_method(tr_run *r, tr_val *self, const char *name, tr_args *a,
                  const py_expr *call, tr_val **out);
/* Whether v is an ORM loader option (orm.load_only(...), joinedload(...)):
 * it changes what is loaded of each row, never which rows a query finds. */
bool tr_orm_loader_option(const tr_val *v);
/* Whether v is a session.query(...) (a select() whose reads run it). */
bool tr_is_orm_query(const tr_val *v);
/* Runs such a query: its statement, and the result a loop reads (V_RESULT). */
int tr_orm_run(tr_run *r, tr_val *q, uint32_t off, uint32_t len, tr_val **result);

/* ---- UPDATE / DELETE / INSERT expressions (dml.c) ---- */
bool tr_is_dml(const tr_val *v);
/* table.update() / .delete() / .insert(): name is "update", "delete" or "insert". */
int tr_dml_of_table(tr_run *r, tr_val *table, const char *name, uint32_t off, uint32_t len,
                    tr_val **out);
/* dml.where(...) / .values(...). */
int tr_dml_method(tr_run *r, tr_val *self, const char *name, tr_args *a, uint32_t off,
                  uint32_t len, tr_val **out);
/* SQLAlchemy 1.4's text of the statement, literal values inline. */
int tr_render_dml(tr_run *r, rt_buf *b, tr_val *q);

/* ---- extensions' operations (extops.c) ---- */
/* Whether the dotted name is a class an extension's op takes as an argument
 * (alembic_postgresql_enum.TableReference, ...): a call to it is an OBJ. */
bool tr_is_ext_object(const char *written);
/* op.sync_enum_values(...) of alembic-postgresql-enum; off: the call. */
int tr_op_sync_enum_values(tr_run *r, tr_args *a, uint32_t off);
/* op.create_entity / drop_entity / replace_entity of alembic_utils. */
int tr_op_create_entity(tr_run *r, tr_args *a, uint32_t off);
int tr_op_drop_entity(tr_run *r, tr_args *a, uint32_t off);
int tr_op_replace_entity(tr_run *r, tr_args *a, uint32_t off);

/* ---- names of indexes and constraints (naming.c) ---- */
/*
 * The name in v as SQLAlchemy renders it (*out NULL for None or no value): a
 * generated name (op.f()) over 63 characters truncated with its md5 suffix, a
 * plain one over 63 characters refused, as SQLAlchemy's IdentifierError.
 */
int tr_get_name(tr_run *r, const tr_val *v, const char *what, const char **out);
/*
 * The name the run's naming convention for key ("ix", "uq", ...) gives an
 * unnamed index or constraint described by f, truncated as a generated name;
 * *out NULL when there is no convention for key. Refused at off/len where
 * SQLAlchemy raises.
 */
int tr_convention_name(tr_run *r, const char *key, const tr_name_facts *f, uint32_t off,
                       uint32_t len, const char **out);
/* Whether the convention for key names an object written with name v (NULL
 * or None: unnamed), as SQLAlchemy's _constraint_name_for_table decides: not
 * a name from op.f(); an unnamed object; a named one when the template holds
 * "constraint_name". */
bool tr_convention_applies(tr_run *r, const char *key, const tr_val *v);
/*
 * The name SQLAlchemy gives the index or constraint of convention key
 * written with name v and described by f: the convention's (f->name set to
 * the written name) when it applies, else the written name as tr_get_name
 * takes it. *out NULL: unnamed.
 */
int tr_object_name(tr_run *r, const char *key, const tr_val *v, tr_name_facts *f,
                   uint32_t off, uint32_t len, const char **out);

/* Sets ctx->conventions: retort.yaml's naming_convention, else a literal one
 * in env.py (noted in the context's diagnostics), else a bare MetaData()'s
 * (conventions.c). */
void tr_ctx_conventions(rt_translate_ctx *ctx);

/* ---- calls Alembic runs without touching the database (harmless.c) ---- */
/* One UTF-8 character of s at *i (advanced past it); -1 when malformed. */
long tr_utf8_next(const char *s, size_t n, size_t *i);
enum { TR_NOT_HANDLED = 1 };
/* print(...): an echo statement with its text. */
int tr_print(tr_run *r, tr_args *a, const py_expr *call, tr_val **out);
/* The dotted name's call when it is logging.*, loguru's logger.*,
 * structlog.get_logger(), datetime's now()/utcnow()/today(), date.today(),
 * uuid.uuid4(), time.time(), os.environ.get() or os.getenv(), textwrap.dedent(),
 * sys.stdout/stderr.flush(); TR_NOT_HANDLED otherwise. */
int tr_harmless_call(tr_run *r, const char *name, tr_args *a, const py_expr *call,
                     tr_val **out);
/* Whether v is a logger: logging.getLogger(...), structlog.get_logger(...),
 * loguru's logger.bind(...). */
bool tr_is_logger(const tr_val *v);
/* Whether the dotted name makes such a logger (its arguments do not matter). */
bool tr_is_logger_factory(const char *name);
/* A method of such a logger: an echo statement at -v. */
int tr_logger_method(tr_run *r, const tr_val *logger, const char *method, tr_args *a,
                     const py_expr *call, tr_val **out);
/* bind.engine: the engine of the migration's connection. */
tr_val *tr_engine(tr_run *r, uint32_t off, uint32_t len);
/* engine.name/.dialect/.url, url.drivername (others of the URL refused);
 * TR_NOT_HANDLED when base is not the engine or its URL, or attr is a method. */
int tr_conn_attr(tr_run *r, const tr_val *base, const char *attr, uint32_t off, uint32_t len,
                 tr_val **out);
/* str() of the engine's URL or its drivername: text known to start with
 * "postgresql"; TR_NOT_HANDLED for other values. */
int tr_conn_text(tr_run *r, const tr_val *v, uint32_t off, uint32_t len, tr_val **out);
/* url.get_backend_name(), text.startswith(...) decided where the known start
 * decides it; TR_NOT_HANDLED when self is none of these values. */
int tr_conn_method(tr_run *r, const tr_val *self, const char *method, tr_args *a,
                   uint32_t off, uint32_t len, tr_val **out);
/* uuid4().hex; TR_NOT_HANDLED for other attributes. */
int tr_moment_attr(tr_run *r, const tr_val *v, const char *attr, uint32_t off, uint32_t len,
                   tr_val **out);
/* .isoformat(), .date(), .strftime(fmt) of a datetime or date; others refused. */
int tr_moment_method(tr_run *r, const tr_val *v, const char *method, tr_args *a,
                     uint32_t off, uint32_t len, tr_val **out);

/* ---- enum.Enum classes of the version file (enumcls.c) ---- */
/* Evaluates the class statement of cls (CLASS), used at off/len, in place
 * into an enum class (ENUMCLS), or a model class (orm.c), for every name bound to it. Refused at off/len
 * when it is not an enum, at what was not understood in an enum's body. */
int tr_class_eval(tr_run *r, tr_val *cls, uint32_t off, uint32_t len);
/* X.member (an alias gives its member), X.__name__. */
int tr_enumcls_attr(tr_run *r, const tr_val *cls, const char *attr, uint32_t off,
                    uint32_t len, tr_val **out);
/* The members in definition order, aliases left out, as iterating X gives them. */
void tr_enumcls_members(tr_run *r, const tr_val *cls, uint32_t off, uint32_t len,
                        tr_val ***items, size_t *n);
/* X(value): the member with that value. */
int tr_enumcls_call(tr_run *r, const tr_val *cls, tr_args *a, uint32_t off, uint32_t len,
                    tr_val **out);
/* X["name"]: the member of that name. */
int tr_enumcls_item(tr_run *r, const tr_val *cls, const tr_val *key, uint32_t off,
                    uint32_t len, tr_val **out);
/* needle in X */
int tr_enumcls_contains(tr_run *r, const tr_val *cls, const tr_val *needle, uint32_t off,
                        uint32_t len, bool *out);
/* The labels of sa.Enum(X) as SQLAlchemy 1.4 makes them: the member names,
 * aliases included, or what values_callable(X) gives; *name: the class name
 * lowercased (the default type name). */
int tr_enumcls_labels(tr_run *r, tr_val *cls, tr_val *values_callable, rt_strv *labels,
                      const char **name);
/* member.name, member.value; TR_NOT_HANDLED for another attribute of a str
 * enum's member (a str method, called on its value). */
int tr_member_attr(tr_run *r, const tr_val *m, const char *attr, uint32_t off, uint32_t len,
                   tr_val **out);
/* The value of a member of a str or int enum, which Python compares, hashes
 * and orders as that value; NULL for anything else. */
tr_val *tr_member_mixin(const tr_val *v);
/* Whether a and b (one a member of a plain enum) are the same object: 1 yes,
 * 0 no, -1 not known statically. */
int tr_member_same(const tr_val *a, const tr_val *b);
/* str(m) or format(m) (conversion 'r': repr) of a member into b; refused
 * where Python versions differ. */
int tr_member_text(tr_run *r, const tr_val *m, char conversion, rt_buf *b);
/* The same without refusing: false when it is not known. */
bool tr_member_to_text(const tr_val *m, rt_buf *b);

/* ---- operations (ops.c) ---- */
/* op.<op>(...) (batch NULL) or batch_op.<op>(...) on batch's table, through
 * ops.c's table of ops; refused when op is not allowed there. */
int tr_op_call(tr_run *r, const char *op, tr_table *batch, tr_args *a, const py_expr *call,
               tr_val **out);
int tr_enum_method(tr_run *r, tr_val *en, const char *method, tr_args *a,
                   const py_expr *call);

#endif
