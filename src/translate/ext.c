/*
 * Column types of widely used extension libraries (sqlalchemy_utils, sqlmodel,
 * citext), rendered as their PostgreSQL dialect implementation does: each is a
 * TypeDecorator whose impl (or load_dialect_impl on PostgreSQL) is a plain
 * SQLAlchemy type. Checked against the real libraries by the translate_exttypes
 * differential test; a user's `types:` entry is looked up first (render.c).
 */
#include <string.h>

#include "translate/tr.h"

enum ekind {
	E_FIXED,     /* sql, whatever the arguments */
	E_VARCHAR,   /* VARCHAR[(n)], n from the length argument or its default */
	E_UUID,      /* UUIDType(binary=True, native=True) */
	E_CHOICE,    /* ChoiceType(choices, impl=Unicode(255)) */
	E_TIMESTAMP, /* ArrowType(timezone=False): DateTime's arguments */
	E_BIT,       /* BitType(length=1): postgresql.BIT(length) */
};

static const struct ext {
	const char *lib, *name;
	enum ekind kind;
	const char *sql;     /* E_FIXED */
	const char *len_kw;  /* E_VARCHAR, E_BIT: the length argument */
	int len_pos;         /* its position, -1 keyword only */
	int len_dflt;        /* -1: no length (VARCHAR) */
} exts[] = {
	/* sqlalchemy_utils 0.38 */
	{ "sqlalchemy_utils", "UUIDType", E_UUID, NULL, NULL, 0, 0 },
	{ "sqlalchemy_utils", "StringEncryptedType", E_VARCHAR, NULL, "length", -1, -1 },
	{ "sqlalchemy_utils", "EncryptedType", E_FIXED, "BYTEA", NULL, 0, 0 },
	{ "sqlalchemy_utils", "ChoiceType", E_CHOICE, NULL, NULL, 0, 0 },
	{ "sqlalchemy_utils", "TSVectorType", E_FIXED, "TSVECTOR", NULL, 0, 0 },
	{ "sqlalchemy_utils", "EmailType", E_VARCHAR, NULL, "length", 0, 255 },
	{ "sqlalchemy_utils", "URLType", E_FIXED, "TEXT", NULL, 0, 0 },
	{ "sqlalchemy_utils", "JSONType", E_FIXED, "JSON", NULL, 0, 0 },
	{ "sqlalchemy_utils", "ArrowType", E_TIMESTAMP, NULL, NULL, 0, 0 },
	{ "sqlalchemy_utils", "PasswordType", E_FIXED, "BYTEA", NULL, 0, 0 },
	{ "sqlalchemy_utils", "PhoneNumberType", E_VARCHAR, NULL, "max_length", 1, 20 },
	{ "sqlalchemy_utils", "CountryType", E_FIXED, "VARCHAR(2)", NULL, 0, 0 },
	{ "sqlalchemy_utils", "CurrencyType", E_FIXED, "VARCHAR(3)", NULL, 0, 0 },
	{ "sqlalchemy_utils", "LocaleType", E_FIXED, "VARCHAR(10)", NULL, 0, 0 },
	{ "sqlalchemy_utils", "TimezoneType", E_FIXED, "VARCHAR(50)", NULL, 0, 0 },
	{ "sqlalchemy_utils", "IPAddressType", E_VARCHAR, NULL, "max_length", 0, 50 },
	{ "sqlalchemy_utils", "ScalarListType", E_FIXED, "TEXT", NULL, 0, 0 },
	{ "sqlalchemy_utils", "ColorType", E_VARCHAR, NULL, "max_length", 0, 20 },
	{ "sqlalchemy_utils", "LtreeType", E_FIXED, "LTREE", NULL, 0, 0 },
	{ "sqlalchemy_utils", "DateRangeType", E_FIXED, "DATERANGE", NULL, 0, 0 },
	{ "sqlalchemy_utils", "DateTimeRangeType", E_FIXED, "TSRANGE", NULL, 0, 0 },
	{ "sqlalchemy_utils", "IntRangeType", E_FIXED, "INT4RANGE", NULL, 0, 0 },
	{ "sqlalchemy_utils", "Int8RangeType", E_FIXED, "INT8RANGE", NULL, 0, 0 },
	{ "sqlalchemy_utils", "NumericRangeType", E_FIXED, "NUMRANGE", NULL, 0, 0 },
	{ "sqlalchemy_utils", "BitType", E_BIT, NULL, "length", 0, 1 },
	{ "sqlalchemy_utils", "WeekDaysType", E_FIXED, "BIT(7)", NULL, 0, 0 },
	/* sqlmodel 0.0.8 (sqlmodel.sql.sqltypes) */
	{ "sqlmodel", "AutoString", E_VARCHAR, NULL, "length", 0, -1 },
	{ "sqlmodel", "GUID", E_FIXED, "UUID", NULL, 0, 0 },
	/* sqlalchemy-citext: CIText.get_col_spec() */
	{ "citext", "CIText", E_FIXED, "CITEXT", NULL, 0, 0 },
};

/* `lib.name`, or `lib.<submodules>.name` (sqlalchemy_utils.types.uuid.UUIDType). */
static bool ext_matches(const struct ext *e, const char *written)
{
	size_t nl = strlen(e->lib), nn = strlen(e->name), n = strlen(written);
	return n > nl + nn && memcmp(written, e->lib, nl) == 0 && written[nl] == '.' &&
	       written[n - nn - 1] == '.' && strcmp(written + n - nn, e->name) == 0;
}

static const struct ext *find_ext(const char *written)
{
	if (!written)
		return NULL;
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (ext_matches(&exts[i], written))
			return &exts[i];
	return NULL;
}

bool tr_is_ext_type(const char *written)
{
	return find_ext(written) != NULL;
}

/* An argument of an instance; a class reference has none. */
static tr_val *earg(tr_val *t, int pos, const char *kw)
{
	return t->kind == V_OBJ ? tr_arg(&t->args, pos < 0 ? SIZE_MAX : (size_t)pos, kw) : NULL;
}

static int elength(tr_run *r, tr_val *t, const struct ext *e, int64_t *out)
{
	tr_val *v = earg(t, e->len_pos, e->len_kw);
	*out = e->len_dflt;
	if (!v || v->kind == V_NONE)
		return RT_OK;
	if (v->kind != V_INT || v->i < 0)
		return tr_refuse(r, v->off, v->len, "%s must be a non-negative integer", e->len_kw);
	*out = v->i;
	return RT_OK;
}

int tr_render_ext_type(tr_run *r, rt_buf *b, tr_val *t)
{
	const struct ext *e =
		t && (t->kind == V_REF || t->kind == V_OBJ) ? find_ext(t->written) : NULL;
	if (!e)
		return TR_NOT_EXT;
	int64_t n;
	int rc;
	switch (e->kind) {
	case E_FIXED:
		rt_buf_puts(b, e->sql);
		return RT_OK;
	case E_VARCHAR:
	case E_BIT:
		rc = elength(r, t, e, &n);
		if (rc < 0)
			return rc;
		rt_buf_puts(b, e->kind == E_BIT ? "BIT" : "VARCHAR");
		if (n >= 0)
			rt_buf_printf(b, "(%lld)", (long long)n);
		return RT_OK;
	case E_UUID: {
		/* load_dialect_impl: postgresql.UUID() when native, else impl BINARY(16)
		 * or CHAR(32), which the PostgreSQL dialect renders by their names */
		bool binary = true, native = true;
		rc = tr_get_bool(r, earg(t, 0, "binary"), "binary", &binary);
		if (rc == RT_OK)
			rc = tr_get_bool(r, earg(t, 1, "native"), "native", &native);
		if (rc < 0)
			return rc;
		rt_buf_puts(b, native ? "UUID" : binary ? "BINARY(16)" : "CHAR(32)");
		return RT_OK;
	}
	case E_CHOICE: {
		tr_val *impl = earg(t, 1, "impl");
		if (impl && impl->kind != V_NONE)
			return tr_render_type(r, b, impl);
		rt_buf_puts(b, "VARCHAR(255)");
		return RT_OK;
	}
	case E_TIMESTAMP: {
		bool tz = false;
		rc = tr_get_bool(r, earg(t, 0, "timezone"), "timezone", &tz);
		if (rc < 0)
			return rc;
		rt_buf_puts(b, tz ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP WITHOUT TIME ZONE");
		return RT_OK;
	}
	}
	return TR_NOT_EXT;
}
