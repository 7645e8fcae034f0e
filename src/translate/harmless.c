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
