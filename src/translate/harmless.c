/*
 * Calls a body makes that Alembic runs without touching the database:
 * print() and logging calls become echo statements (rt_stmt.echo) that the
 * executor writes when the step runs, in order with the other steps'; and
 * datetime.now()/utcnow()/today(), date.today() and uuid.uuid4() are
 * evaluated when the body is translated, which for a run is just before its
 * step is sent (a step's body is asked for then, exec.h): the values are
 * those of the step's run, not of the plan's check pass.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "retort/random.h"
#include "tr.h"

/* ---- echo statements ---- */

static void emit_echo(tr_run *r, const char *text, const char *level, uint32_t off)
{
	rt_stmt *st = rt_stmt_generated(r->arena, "", r->src, off);
	st->echo = text;
	st->echo_level = level;
	tr_emit_stmt(r, st);
}

/* The text of v as str() gives it; refused when it is not known. */
static int text_of(tr_run *r, const tr_val *v, rt_buf *b, const char *what)
{
	if (tr_to_text(r, v, b))
		return RT_OK;
	return tr_refuse(r, v->off, v->len, "%s of a value retort cannot show", what);
}

/* print(*values, sep=' ', end='\n', file=sys.stdout|sys.stderr, flush=) */
int tr_print(tr_run *r, tr_args *a, const py_expr *call, tr_val **out)
{
	const char *sep = " ", *end = "\n", *level = NULL;
	const tr_val *file = tr_arg(a, SIZE_MAX, "file");
	int rc = tr_get_opt_str(r, tr_arg(a, SIZE_MAX, "sep"), "sep", &sep);
	if (rc == RT_OK)
		rc = tr_get_opt_str(r, tr_arg(a, SIZE_MAX, "end"), "end", &end);
	static const char *const ignore[] = { "flush", NULL };
	tr_args_ignore(a, ignore);
	if (rc == RT_OK && file && file->kind != V_NONE) {
		if (tr_is(file, "sys.stderr"))
			level = "stderr";
		else if (!tr_is(file, "sys.stdout"))
			rc = tr_refuse(r, file->off, file->len, "print() to a file other than "
			               "sys.stdout or sys.stderr");
	}
	if (rc == RT_OK)
		rc = tr_args_check(r, a, SIZE_MAX, "print", call->off, call->len);
	rt_buf b = RT_BUF_INIT;
	for (size_t i = 0; i < a->npos && rc == RT_OK; i++) {
		if (i)
			rt_buf_puts(&b, sep ? sep : " ");
		rc = text_of(r, a->pos[i], &b, "print()");
	}
	rt_buf_puts(&b, end ? end : "\n");
	if (rc == RT_OK) {
		emit_echo(r, rt_strdup(r->arena, rt_buf_cstr(&b)), level, call->off);
		*out = tr_new(r, V_NONE, call->off, call->len);
	}
	rt_buf_release(&b);
	return rc;
}

/* ---- logging ---- */

static const char *log_level(const char *method)
{
	static const char *const m[][2] = {
		{ "debug", "DEBUG" }, { "info", "INFO" }, { "warning", "WARNING" },
		{ "warn", "WARNING" }, { "error", "ERROR" }, { "exception", "ERROR" },
		{ "critical", "CRITICAL" }, { "fatal", "CRITICAL" },
	};
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (strcmp(method, m[i][0]) == 0)
			return m[i][1];
	return NULL;
}

/* logger.<method>(msg, *args) or logging.<method>(...): the message as
 * logging formats it (msg % args); configuration calls do nothing. */
static int log_call(tr_run *r, const char *method, tr_args *a, const py_expr *call,
                    tr_val **out)
{
	static const char *const quiet[] = { "setLevel", "addHandler", "removeHandler",
		                                 "basicConfig", "disable", "captureWarnings", NULL };
	*out = tr_new(r, V_NONE, call->off, call->len);
	for (size_t i = 0; quiet[i]; i++)
		if (strcmp(method, quiet[i]) == 0)
			return RT_OK;
	const char *level = log_level(method);
	size_t first = 0;
	if (!level && strcmp(method, "log") == 0 && a->npos) {
		first = 1;
		level = a->pos[0]->kind == V_INT && a->pos[0]->i >= 30 ? "WARNING" : "INFO";
	}
	if (!level || a->npos <= first)
		return tr_refuse(r, call->off, call->len, "logging call '%s'", method);
	static const char *const ignore[] = { "exc_info", "stack_info", "stacklevel", "extra",
		                                  NULL };
	tr_args_ignore(a, ignore);
	int rc = tr_args_check(r, a, SIZE_MAX, method, call->off, call->len);
	tr_val *msg = a->pos[first];
	if (rc == RT_OK && a->npos > first + 1 && msg->kind == V_STR) {
		/* logging's LogRecord.getMessage: msg % args */
		tr_val *args = tr_new(r, V_TUPLE, call->off, call->len);
		args->items = a->pos + first + 1;
		args->n = a->npos - first - 1;
		rc = tr_binary(r, PY_OP_PERCENT, msg, args->n == 1 && args->items[0]->kind == V_DICT
		               ? args->items[0] : args, call->off, call->len, &msg);
	}
	rt_buf b = RT_BUF_INIT;
	if (rc == RT_OK)
		rc = text_of(r, msg, &b, "a log message");
	if (rc == RT_OK)
		emit_echo(r, rt_strdup(r->arena, rt_buf_cstr(&b)), level, call->off);
	rt_buf_release(&b);
	return rc;
}

int tr_logger_method(tr_run *r, const char *method, tr_args *a, const py_expr *call,
                     tr_val **out)
{
	return log_call(r, method, a, call, out);
}

/* ---- values of the moment ---- */

static tr_val *moment(tr_run *r, const char *text, const char *pytype, uint32_t off,
                      uint32_t len)
{
	tr_val *v = tr_str(r, text, strlen(text), off, len);
	v->pytype = pytype;
	return v;
}

/* str() of datetime.now() / utcnow() / now(timezone.utc), date.today() */
static tr_val *now_value(tr_run *r, bool utc, bool aware, bool date_only, uint32_t off,
                         uint32_t len)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (utc)
		gmtime_r(&ts.tv_sec, &tm);
	else
		localtime_r(&ts.tv_sec, &tm);
	char buf[64];
	size_t n = strftime(buf, sizeof(buf), date_only ? "%Y-%m-%d" : "%Y-%m-%d %H:%M:%S", &tm);
	long us = ts.tv_nsec / 1000;
	if (!date_only && us) /* str(datetime) leaves out a zero microsecond */
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, ".%06ld", us);
	if (aware)
		snprintf(buf + n, sizeof(buf) - n, "+00:00");
	return moment(r, buf, date_only ? "date" : "datetime", off, len);
}

static int uuid4_value(tr_run *r, uint32_t off, uint32_t len, tr_val **out)
{
	unsigned char u[16];
	if (!rt_random_bytes(u, sizeof(u)))
		return tr_refuse(r, off, len, "uuid.uuid4() without a source of randomness");
	u[6] = (unsigned char)((u[6] & 0x0F) | 0x40); /* version 4 */
	u[8] = (unsigned char)((u[8] & 0x3F) | 0x80); /* RFC 4122 variant */
	char buf[37], *p = buf;
	for (size_t i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		p += snprintf(p, 3, "%02x", u[i]);
	}
	*out = moment(r, buf, "uuid", off, len);
	return RT_OK;
}

/* A value from the clock or the random source: the context remembers the
 * first (rt_translate_ctx_run_time_value). */
static void note_run_time_value(tr_run *r, const char *name, uint32_t off, uint32_t len)
{
	if (r->ctx->run_time_name)
		return;
	r->ctx->run_time_name = rt_strdup(r->ctx->arena, name);
	r->ctx->run_time_value = py_loc(r->src, off, len);
}

/* ---- datetimes from literal fields ---- */

static bool leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Python's date.toordinal(): 0001-01-01 is day 1 (proleptic Gregorian) */
static int64_t ordinal(int64_t y, int64_t m, int64_t d)
{
	static const int before[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
	int64_t p = y - 1;
	return p * 365 + p / 4 - p / 100 + p / 400 + before[m - 1] + (m > 2 && leap(y)) + d;
}

/* datetime.datetime(year, month, day[, hour, minute, second]) and
 * datetime.date(year, month, day) with ints known statically, checked as
 * Python checks them (it raises ValueError); str() of the value as Python
 * prints it. Microseconds and tzinfo are refused. */
static int datetime_literal(tr_run *r, const char *name, tr_args *a, uint32_t off,
                            uint32_t len, tr_val **out)
{
	static const char *const field[] = { "year", "month", "day", "hour", "minute", "second" };
	static const int64_t lo[] = { 1, 1, 1, 0, 0, 0 }, hi[] = { 9999, 12, 31, 23, 59, 59 };
	bool date_only = strcmp(name, "datetime.date") == 0;
	size_t nf = date_only ? 3 : 6;
	int64_t f[6] = { 0 };
	for (size_t i = 0; i < nf; i++) {
		const tr_val *v = tr_arg(a, i, field[i]);
		if (!v && i < 3)
			return tr_refuse(r, off, len, "'%s()' without its %s", name, field[i]);
		if (v && v->kind != V_INT)
			return tr_refuse(r, v->off, v->len, "'%s()' with a %s not known statically as "
			                 "an int", name, field[i]);
		f[i] = v ? v->i : 0;
		if (f[i] < lo[i] || f[i] > hi[i])
			return tr_refuse(r, off, len, "'%s()' with a %s out of range (Python raises "
			                 "ValueError)", name, field[i]);
	}
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (f[2] > mdays[f[1] - 1] + (f[1] == 2 && leap(f[0])))
		return tr_refuse(r, off, len, "'%s()' with a day out of range for the month (Python "
		                 "raises ValueError)", name);
	int rc = tr_args_check(r, a, nf, name, off, len);
	if (rc < 0)
		return rc;
	char buf[32];
	if (date_only)
		snprintf(buf, sizeof(buf), "%04d-%02d-%02d", (int)f[0], (int)f[1], (int)f[2]);
	else
		snprintf(buf, sizeof(buf), "%04d-%02d-%02d %02d:%02d:%02d", (int)f[0], (int)f[1],
		         (int)f[2], (int)f[3], (int)f[4], (int)f[5]);
	*out = moment(r, buf, date_only ? "date" : "datetime", off, len);
	return RT_OK;
}

/* datetime.datetime.utcfromtimestamp(n) / fromtimestamp(n) of an int: the
 * latter in the local time zone of the process that runs the step, as Python's */
static int from_timestamp(tr_run *r, const char *name, tr_args *a, uint32_t off, uint32_t len,
                          tr_val **out)
{
	const tr_val *t = tr_arg(a, 0, "t");
	int rc = t && t->kind == V_INT ? tr_args_check(r, a, 1, name, off, len)
	                               : tr_refuse(r, off, len, "'%s()' of a value not known "
	                                           "statically as an int", name);
	if (rc < 0)
		return rc;
	bool utc = strcmp(name, "datetime.datetime.utcfromtimestamp") == 0;
	time_t secs = (time_t)t->i;
	struct tm tm;
	if (!(utc ? gmtime_r(&secs, &tm) : localtime_r(&secs, &tm)) || tm.tm_year + 1900 < 1 ||
	    tm.tm_year + 1900 > 9999)
		return tr_refuse(r, off, len, "'%s()' out of range", name);
	char buf[32];
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
	if (!utc)
		note_run_time_value(r, name, off, len);
	*out = moment(r, buf, "datetime", off, len);
	return RT_OK;
}

int tr_harmless_call(tr_run *r, const char *name, tr_args *a, const py_expr *call,
                     tr_val **out)
{
	uint32_t off = call->off, len = call->len;
	if (strncmp(name, "logging.", 8) == 0) {
		if (strcmp(name + 8, "getLogger") == 0) {
			tr_val *v = tr_new(r, V_OBJ, off, len);
			v->name = v->written = "logging.Logger";
			*out = v;
			return RT_OK;
		}
		return log_call(r, name + 8, a, call, out);
	}
	bool dt = strcmp(name, "datetime.datetime.now") == 0 ||
	          strcmp(name, "datetime.datetime.utcnow") == 0 ||
	          strcmp(name, "datetime.datetime.today") == 0 ||
	          strcmp(name, "datetime.date.today") == 0;
	if (dt) {
		const tr_val *tz = tr_arg(a, 0, "tz");
		bool utc = strcmp(name, "datetime.datetime.utcnow") == 0;
		bool aware = tz && tz->kind != V_NONE;
		if (aware && !tr_is(tz, "datetime.timezone.utc"))
			return tr_refuse(r, tz->off, tz->len, "a time zone other than timezone.utc");
		if (aware && strcmp(name, "datetime.datetime.now") != 0)
			return tr_refuse(r, off, len, "'%s()' with arguments", name);
		if ((a->npos > 1) || (a->nkw && !(a->nkw == 1 && a->used[0])))
			return tr_refuse(r, off, len, "'%s()' with these arguments", name);
		*out = now_value(r, utc || aware, aware, strcmp(name, "datetime.date.today") == 0,
		                 off, len);
		note_run_time_value(r, name, off, len);
		return RT_OK;
	}
	if (strcmp(name, "datetime.datetime") == 0 || strcmp(name, "datetime.date") == 0)
		return datetime_literal(r, name, a, off, len, out);
	if (strcmp(name, "datetime.datetime.utcfromtimestamp") == 0 ||
	    strcmp(name, "datetime.datetime.fromtimestamp") == 0)
		return from_timestamp(r, name, a, off, len, out);
	if (strcmp(name, "uuid.uuid4") == 0) {
		if (a->npos || a->nkw)
			return tr_refuse(r, off, len, "'uuid.uuid4()' with arguments");
		note_run_time_value(r, name, off, len);
		return uuid4_value(r, off, len, out);
	}
	return TR_NOT_HANDLED;
}

int tr_moment_attr(tr_run *r, const tr_val *v, const char *attr, uint32_t off, uint32_t len,
                   tr_val **out)
{
	if (strcmp(v->pytype, "uuid") == 0 && strcmp(attr, "hex") == 0) {
		char hex[33];
		size_t n = 0;
		for (size_t i = 0; i < v->slen && n < 32; i++)
			if (v->s[i] != '-')
				hex[n++] = v->s[i];
		*out = tr_str(r, hex, n, off, len);
		return RT_OK;
	}
	return TR_NOT_HANDLED;
}

int tr_moment_method(tr_run *r, const tr_val *v, const char *method, tr_args *a,
                     uint32_t off, uint32_t len, tr_val **out)
{
	bool none = a->npos == 0 && a->nkw == 0;
	if (strcmp(v->pytype, "uuid") != 0 && strcmp(method, "isoformat") == 0 && none) {
		char *iso = rt_strdup(r->arena, v->s);
		if (v->slen > 10)
			iso[10] = 'T'; /* isoformat's separator */
		*out = moment(r, iso, v->pytype, off, len);
		return RT_OK;
	}
	if (strcmp(v->pytype, "uuid") != 0 && strcmp(method, "toordinal") == 0 && none) {
		int y = 0, mo = 0, d = 0;
		if (sscanf(v->s, "%d-%d-%d", &y, &mo, &d) == 3 && mo >= 1 && mo <= 12) {
			*out = tr_int(r, ordinal(y, mo, d), off, len);
			return RT_OK;
		}
	}
	if (strcmp(v->pytype, "datetime") == 0 && strcmp(method, "date") == 0 && none) {
		*out = moment(r, rt_strndup(r->arena, v->s, 10), "date", off, len);
		return RT_OK;
	}
	if (strcmp(v->pytype, "uuid") != 0 && strcmp(method, "strftime") == 0 && a->npos == 1 &&
	    a->nkw == 0 && a->pos[0]->kind == V_STR) {
		struct tm tm = { 0 };
		int y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0;
		sscanf(v->s, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s);
		tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = d;
		tm.tm_hour = h, tm.tm_min = mi, tm.tm_sec = s;
		tm.tm_isdst = -1;
		time_t t = mktime(&tm); /* fills the weekday and year day */
		(void)t;
		char buf[256];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral" /* the version file's format */
		size_t n = strftime(buf, sizeof(buf), a->pos[0]->s, &tm);
#pragma GCC diagnostic pop
		*out = tr_str(r, buf, n, off, len);
		return RT_OK;
	}
	return tr_refuse(r, off, len, "method '%s' of a %s value", method, v->pytype);
}
