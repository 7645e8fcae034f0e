/*
 * Calls a body makes that Alembic runs without touching the database:
 * print() and logging calls become echo statements (rt_stmt.echo) that the
 * executor writes when the step runs, in order with the other steps'; and
 * datetime.now()/utcnow()/today(), date.today() and uuid.uuid4() are
 * evaluated when the body is translated, which for a run is just before its
 * step is sent (a step's body is asked for then, exec.h): the values are
 * those of the step's run, not of the plan's check pass. The same holds for
 * time.time() and os.environ.get()/os.getenv() (the environment of the process
 * that runs the step). What a file can know of its connection's engine and
 * URL on PostgreSQL is here too.
 */
#include <stdio.h>
#include <stdlib.h>
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

/* ---- loguru and structlog ---- */

/* An object known by its name only (a logger, the engine, its URL). */
static tr_val *named_obj(tr_run *r, const char *name, uint32_t off, uint32_t len)
{
	tr_val *v = tr_new(r, V_OBJ, off, len);
	v->name = v->written = name;
	return v;
}

/* loguru's logger.<method>(message, *args, **kwargs): its _log formats the
 * message with message.format(*args, **kwargs) when there are arguments
 * (keywords also go to the record's extra), and shows str(message) otherwise.
 * logger.bind(**kwargs) is the same logger with more extra. */
static int loguru_call(tr_run *r, const char *method, tr_args *a, const py_expr *call,
                       tr_val **out)
{
	static const char *const m[][2] = {
		{ "trace", "TRACE" }, { "debug", "DEBUG" }, { "info", "INFO" },
		{ "success", "SUCCESS" }, { "warning", "WARNING" }, { "error", "ERROR" },
		{ "exception", "ERROR" }, { "critical", "CRITICAL" },
	};
	uint32_t off = call->off, len = call->len;
	if (strcmp(method, "bind") == 0 && a->npos == 0) {
		*out = named_obj(r, "loguru.Logger", off, len);
		return RT_OK;
	}
	const char *level = NULL;
	size_t first = 0;
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (strcmp(method, m[i][0]) == 0)
			level = m[i][1];
	if (!level && strcmp(method, "log") == 0 && a->npos && a->pos[0]->kind == V_STR) {
		first = 1; /* logger.log("NAME", message): a level loguru knows by name */
		for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
			if (strcmp(a->pos[0]->s, m[i][1]) == 0)
				level = m[i][1];
	}
	if (!level || a->npos <= first)
		return tr_refuse(r, off, len, "loguru call '%s'", method);
	tr_val *msg = a->pos[first];
	int rc = RT_OK;
	if (a->npos > first + 1 || a->nkw) {
		if (msg->kind != V_STR || msg->pytype)
			return tr_refuse(r, msg->off, msg->len, "a loguru message with arguments that "
			                 "is not a string");
		tr_args fmt = *a;
		fmt.pos += first + 1;
		fmt.npos -= first + 1;
		tr_val *bound = tr_new(r, V_BOUND, off, len);
		bound->self = msg;
		bound->name = "format";
		rc = tr_call_value(r, NULL, bound, &fmt, call, &msg);
	}
	rt_buf b = RT_BUF_INIT;
	if (rc == RT_OK)
		rc = text_of(r, msg, &b, "a log message");
	if (rc == RT_OK) {
		emit_echo(r, rt_strdup(r->arena, rt_buf_cstr(&b)), level, off);
		*out = tr_new(r, V_NONE, off, len);
	}
	rt_buf_release(&b);
	return rc;
}

/* structlog's logger.<method>(event, *args, **kw) under its default
 * configuration: the event formatted as event %% args when there are
 * positional arguments (PositionalArgumentsFormatter), then the keywords as
 * ConsoleRenderer lists them: sorted, key=value, a string as it is, None,
 * booleans and integers as repr() gives them (other values are refused);
 * exc_info= and stack_info= are taken by its processors, as logging's are. */
static int structlog_call(tr_run *r, const char *method, tr_args *a, const py_expr *call,
                          tr_val **out)
{
	uint32_t off = call->off, len = call->len;
	const char *level = log_level(method);
	if (!level || a->npos < 1)
		return tr_refuse(r, off, len, "structlog call '%s'", method);
	tr_val *msg = a->pos[0];
	int rc = RT_OK;
	if (a->npos > 1 && msg->kind == V_STR) {
		tr_val *args = tr_new(r, V_TUPLE, off, len);
		args->items = a->pos + 1;
		args->n = a->npos - 1;
		rc = tr_binary(r, PY_OP_PERCENT, msg, args->n == 1 && args->items[0]->kind == V_DICT
		               ? args->items[0] : args, off, len, &msg);
	} else if (a->npos > 1) {
		rc = tr_refuse(r, msg->off, msg->len, "a structlog event with arguments that is "
		               "not a string");
	}
	rt_buf b = RT_BUF_INIT;
	if (rc == RT_OK)
		rc = text_of(r, msg, &b, "a log message");
	/* keywords in sorted order (a few: a selection sort) */
	bool *done = a->nkw ? rt_alloc_array(r->arena, a->nkw, sizeof(*done)) : NULL;
	for (size_t n = 0; n < a->nkw && rc == RT_OK; n++) {
		size_t k = SIZE_MAX;
		for (size_t i = 0; i < a->nkw; i++)
			if (!done[i] && (k == SIZE_MAX || strcmp(a->kwn[i], a->kwn[k]) < 0))
				k = i;
		done[k] = a->used[k] = true;
		if (strcmp(a->kwn[k], "exc_info") == 0 || strcmp(a->kwn[k], "stack_info") == 0)
			continue;
		const tr_val *v = a->kwv[k];
		rt_buf_printf(&b, " %s=", a->kwn[k]);
		if (v->kind == V_STR || v->kind == V_NONE || v->kind == V_BOOL || v->kind == V_INT)
			rc = text_of(r, v, &b, "a log value");
		else
			rc = tr_refuse(r, v->off, v->len, "a structlog value retort cannot show");
	}
	if (rc == RT_OK) {
		emit_echo(r, rt_strdup(r->arena, rt_buf_cstr(&b)), level, off);
		*out = tr_new(r, V_NONE, off, len);
	}
	rt_buf_release(&b);
	return rc;
}

bool tr_is_logger(const tr_val *v)
{
	return v->kind == V_OBJ && (strcmp(v->name, "logging.Logger") == 0 ||
	                            strcmp(v->name, "loguru.Logger") == 0 ||
	                            strcmp(v->name, "structlog.BoundLogger") == 0);
}

bool tr_is_logger_factory(const char *name)
{
	return strcmp(name, "logging.getLogger") == 0 || strcmp(name, "structlog.get_logger") == 0 ||
	       strcmp(name, "structlog.getLogger") == 0 ||
	       strcmp(name, "structlog.stdlib.get_logger") == 0;
}

int tr_logger_method(tr_run *r, const tr_val *logger, const char *method, tr_args *a,
                     const py_expr *call, tr_val **out)
{
	if (strcmp(logger->name, "loguru.Logger") == 0)
		return loguru_call(r, method, a, call, out);
	if (strcmp(logger->name, "structlog.BoundLogger") == 0)
		return structlog_call(r, method, a, call, out);
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

/* repr() of a finite double as Python gives it: the fewest digits that read
 * back as the same double, in positional notation for exponents from -4 to
 * 15 (with ".0" when integral), else d.ddde+XX. */
static void float_repr(double d, rt_buf *b)
{
	char digits[40];
	int prec = 1;
	for (; prec < 17; prec++) {
		snprintf(digits, sizeof(digits), "%.*e", prec - 1, d);
		if (strtod(digits, NULL) == d)
			break;
	}
	snprintf(digits, sizeof(digits), "%.*e", prec - 1, d);
	char *e = strchr(digits, 'e');
	int exp = atoi(e + 1);
	char mant[24];
	int n = 0;
	for (const char *p = digits; p < e; p++)
		if (*p >= '0' && *p <= '9')
			mant[n++] = *p;
	if (d < 0)
		rt_buf_putc(b, '-');
	if (exp < -4 || exp >= 16) {
		rt_buf_putc(b, mant[0]);
		if (n > 1) {
			rt_buf_putc(b, '.');
			rt_buf_add(b, mant + 1, (size_t)n - 1);
		}
		rt_buf_printf(b, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
		return;
	}
	int point = exp + 1; /* digits before the decimal point */
	if (point <= 0) {
		rt_buf_puts(b, "0.");
		for (int i = point; i < 0; i++)
			rt_buf_putc(b, '0');
		rt_buf_add(b, mant, (size_t)n);
		return;
	}
	for (int i = 0; i < point; i++)
		rt_buf_putc(b, i < n ? mant[i] : '0');
	rt_buf_putc(b, '.');
	if (point >= n)
		rt_buf_putc(b, '0');
	else
		rt_buf_add(b, mant + point, (size_t)(n - point));
}

/* time.time(): seconds since the epoch, as a float from the clock */
static tr_val *time_value(tr_run *r, uint32_t off, uint32_t len)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	/* as CPython makes it: the nanoseconds as a double, divided */
	double d = (double)((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec) / 1e9;
	rt_buf b = RT_BUF_INIT;
	float_repr(d, &b);
	tr_val *v = tr_new(r, V_FLOAT, off, len);
	v->s = rt_strdup(r->arena, rt_buf_cstr(&b));
	v->slen = b.len;
	rt_buf_release(&b);
	return v;
}

/* os.environ.get(key, default=None) / os.getenv(key, default=None): the
 * environment of the process that runs the step, as Alembic's would be. */
static int env_value(tr_run *r, const char *name, tr_args *a, uint32_t off, uint32_t len,
                     tr_val **out)
{
	const char *key;
	tr_val *dflt = tr_arg(a, 1, strcmp(name, "os.getenv") == 0 ? "default" : "failobj");
	int rc = tr_get_str(r, tr_arg(a, 0, "key"), "the name of an environment variable", &key);
	if (rc == RT_OK)
		rc = tr_args_check(r, a, 2, name, off, len);
	if (rc < 0)
		return rc;
	const char *val = getenv(key);
	*out = val ? tr_str(r, val, strlen(val), off, len)
	           : dflt ? dflt : tr_new(r, V_NONE, off, len);
	note_run_time_value(r, name, off, len);
	return RT_OK;
}

/* ---- textwrap.dedent ---- */

/* textwrap.dedent(text): lines of only blanks and tabs are emptied, then the
 * longest run of blanks and tabs that starts every other line is removed
 * from each (lines are split at \n only, as its MULTILINE regexes do). */
static int dedent(tr_run *r, tr_args *a, uint32_t off, uint32_t len, tr_val **out)
{
	const tr_val *v = tr_arg(a, 0, "text");
	int rc = v ? tr_args_check(r, a, 1, "textwrap.dedent", off, len)
	           : tr_refuse(r, off, len, "'textwrap.dedent()' without a text");
	if (rc == RT_OK && v->kind != V_STR)
		rc = tr_refuse(r, v->off, v->len, "'textwrap.dedent()' of a value that is not a "
		               "string known statically");
	if (rc < 0)
		return rc;
	const char *s = v->s, *margin = NULL;
	size_t n = v->slen, mlen = 0;
	for (size_t i = 0; i < n;) {
		size_t k = i;
		while (k < n && (s[k] == ' ' || s[k] == '\t'))
			k++;
		if (k < n && s[k] != '\n') {
			if (!margin) {
				margin = s + i;
				mlen = k - i;
			} else {
				size_t m = 0;
				while (m < mlen && m < k - i && margin[m] == s[i + m])
					m++;
				mlen = m;
			}
		}
		while (k < n && s[k] != '\n')
			k++;
		i = k + 1;
	}
	rt_buf b = RT_BUF_INIT;
	for (size_t i = 0; i < n;) {
		size_t k = i;
		while (k < n && (s[k] == ' ' || s[k] == '\t'))
			k++;
		size_t e = k;
		while (e < n && s[e] != '\n')
			e++;
		if (k < e) /* a line with text: its margin goes */
			rt_buf_add(&b, s + i + mlen, e - i - mlen);
		if (e < n)
			rt_buf_putc(&b, '\n');
		i = e + 1;
	}
	*out = tr_str(r, b.ptr ? b.ptr : "", b.len, off, len);
	rt_buf_release(&b);
	return RT_OK;
}

/* ---- json.dumps ---- */

long tr_utf8_next(const char *s, size_t n, size_t *i)
{
	unsigned char c = (unsigned char)s[*i];
	int extra = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2
	            : (c & 0xF8) == 0xF0 ? 3 : -1;
	if (extra < 0 || *i + (size_t)extra >= n)
		return -1;
	long cp = extra ? c & (0x3F >> extra) : c;
	for (int k = 1; k <= extra; k++) {
		unsigned char d = (unsigned char)s[*i + (size_t)k];
		if ((d & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (d & 0x3F);
	}
	*i += (size_t)extra + 1;
	return cp;
}

/* A JSON string as json.dumps writes it with ensure_ascii: \uXXXX (UTF-16)
 * for everything outside printable ASCII but its short escapes. */
static bool json_string(rt_buf *b, const char *s, size_t n)
{
	rt_buf_putc(b, '"');
	for (size_t i = 0; i < n;) {
		long c = tr_utf8_next(s, n, &i);
		if (c < 0)
			return false;
		const char *esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n"
		                  : c == '\r' ? "\\r" : c == '\t' ? "\\t" : c == '\b' ? "\\b"
		                  : c == '\f' ? "\\f" : NULL;
		if (esc)
			rt_buf_puts(b, esc);
		else if (c >= 0x20 && c < 0x7F)
			rt_buf_putc(b, (char)c);
		else if (c < 0x10000)
			rt_buf_printf(b, "\\u%04lx", c);
		else
			rt_buf_printf(b, "\\u%04lx\\u%04lx", 0xD800 + ((c - 0x10000) >> 10),
			              0xDC00 + ((c - 0x10000) & 0x3FF));
	}
	rt_buf_putc(b, '"');
	return true;
}

/* json.dumps(v) with the default separators; NULL refusal reason on success */
static const char *json_value(tr_run *r, rt_buf *b, const tr_val *v, bool key, unsigned depth)
{
	if (depth > TR_MAX_CALL_DEPTH)
		return "a value nested too deeply";
	switch (v->kind) {
	case V_NONE: rt_buf_puts(b, key ? "\"null\"" : "null"); return NULL;
	case V_BOOL:
		rt_buf_puts(b, key ? (v->i ? "\"true\"" : "\"false\"") : v->i ? "true" : "false");
		return NULL;
	case V_INT:
		rt_buf_printf(b, key ? "\"%s\"" : "%s", v->s);
		return NULL;
	case V_STR:
		if (v->pytype) /* a datetime or UUID: json.dumps raises TypeError */
			return "a value JSON cannot hold (Python raises TypeError)";
		return json_string(b, v->s, v->slen) ? NULL : "a string that is not UTF-8";
	case V_LIST: case V_TUPLE: case V_DICT:
		if (key)
			return "a dict key that is not a string, number, bool or None";
		break;
	default:
		/* floats are kept as written, which json.dumps may shorten */
		return "a value JSON cannot hold exactly";
	}
	bool dict = v->kind == V_DICT;
	rt_buf_putc(b, dict ? '{' : '[');
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			rt_buf_puts(b, ", ");
		const char *why = json_value(r, b, v->items[dict ? 2 * i : i], dict, depth + 1);
		if (!why && dict) {
			rt_buf_puts(b, ": ");
			why = json_value(r, b, v->items[2 * i + 1], false, depth + 1);
		}
		if (why)
			return why;
	}
	rt_buf_putc(b, dict ? '}' : ']');
	return NULL;
}

static int json_dumps(tr_run *r, tr_args *a, uint32_t off, uint32_t len, tr_val **out)
{
	const tr_val *v = tr_arg(a, 0, "obj");
	int rc = v ? tr_args_check(r, a, 1, "json.dumps", off, len)
	           : tr_refuse(r, off, len, "'json.dumps()' without a value");
	if (rc < 0)
		return rc;
	rt_buf b = RT_BUF_INIT;
	const char *why = json_value(r, &b, v, false, 0);
	if (why)
		rc = tr_refuse(r, v->off, v->len, "'json.dumps()' of %s", why);
	else
		*out = tr_str(r, rt_buf_cstr(&b), b.len, off, len);
	rt_buf_release(&b);
	return rc;
}

/* ---- the connection's engine and URL ---- */

/*
 * What a version file can know of the connection Alembic gives it on
 * PostgreSQL with SQLAlchemy 1.4 or later: the engine's and dialect's name is
 * "postgresql", and the URL's driver name is "postgresql" or
 * "postgresql+<driver>" (1.4 no longer accepts "postgres://"), so str(url)
 * starts with "postgresql" and then ':' or '+'. The rest (driver, user,
 * password, host, database) is the deployment's: never known, never shown.
 */
#define PG "postgresql"
static const char *const engine_name = "sqlalchemy.engine.Engine",
                         *const url_name = "sqlalchemy.engine.URL",
                         *const url_text = "str(bind.engine.url)",
                         *const driver_text = "bind.engine.url.drivername";

tr_val *tr_engine(tr_run *r, uint32_t off, uint32_t len)
{
	return named_obj(r, engine_name, off, len);
}

static bool is_conn(const tr_val *v, const char *name)
{
	return v->kind == V_OBJ && v->name == name;
}

int tr_conn_attr(tr_run *r, const tr_val *base, const char *attr, uint32_t off, uint32_t len,
                 tr_val **out)
{
	if (is_conn(base, engine_name)) {
		if (strcmp(attr, "name") == 0)
			*out = tr_str(r, PG, strlen(PG), off, len);
		else if (strcmp(attr, "dialect") == 0)
			*out = tr_new(r, V_DIALECT, off, len);
		else if (strcmp(attr, "url") == 0)
			*out = named_obj(r, url_name, off, len);
		else
			return TR_NOT_HANDLED; /* a method, refused when called */
		return RT_OK;
	}
	if (is_conn(base, url_name)) {
		if (strcmp(attr, "drivername") == 0) {
			*out = named_obj(r, driver_text, off, len);
			return RT_OK;
		}
		if (strcmp(attr, "get_backend_name") == 0)
			return TR_NOT_HANDLED;
		return tr_refuse(r, off, len, "'url.%s' depends on the deployment's connection URL, "
		                 "which retort does not know", attr);
	}
	return TR_NOT_HANDLED;
}

int tr_conn_text(tr_run *r, const tr_val *v, uint32_t off, uint32_t len, tr_val **out)
{
	if (is_conn(v, url_name)) {
		*out = named_obj(r, url_text, off, len);
		return RT_OK;
	}
	if (is_conn(v, driver_text)) {
		*out = named_obj(r, driver_text, off, len);
		return RT_OK;
	}
	return TR_NOT_HANDLED;
}

/* text.startswith(prefix) of str(url) or url.drivername: 1, 0, or -1 when it
 * depends on the part of the URL that is not known. */
static int starts(const tr_val *text, const tr_val *prefix)
{
	size_t n = strlen(PG);
	if (prefix->slen <= n)
		return memcmp(prefix->s, PG, prefix->slen) == 0;
	if (memcmp(prefix->s, PG, n) != 0)
		return 0;
	/* what can follow "postgresql": "://" or "+driver" in the URL, "+driver" in a
	 * driver name longer than it */
	return prefix->s[n] && strchr(text->name == url_text ? ":+" : "+", prefix->s[n]) ? -1 : 0;
}

int tr_conn_method(tr_run *r, const tr_val *self, const char *method, tr_args *a,
                   uint32_t off, uint32_t len, tr_val **out)
{
	bool text = is_conn(self, url_text) || is_conn(self, driver_text);
	if (is_conn(self, url_name) && strcmp(method, "get_backend_name") == 0 &&
	    a->npos == 0 && a->nkw == 0) {
		*out = tr_str(r, PG, strlen(PG), off, len);
		return RT_OK;
	}
	if (!text)
		return TR_NOT_HANDLED;
	const tr_val *p = a->npos == 1 && a->nkw == 0 ? a->pos[0] : NULL;
	if (strcmp(method, "startswith") != 0 || !p ||
	    (p->kind != V_STR && p->kind != V_TUPLE) || p->pytype)
		return tr_refuse(r, off, len, "'%s()' of %s, which retort knows only the start of "
		                 "(\"" PG "\")", method, self->written);
	/* a tuple: true when one prefix is */
	int res = 0;
	for (size_t i = 0; i < (p->kind == V_TUPLE ? p->n : 1); i++) {
		const tr_val *x = p->kind == V_TUPLE ? p->items[i] : p;
		if (x->kind != V_STR)
			return tr_refuse(r, x->off, x->len, "'startswith()' of a value that is not a "
			                 "string");
		int s = starts(self, x);
		if (s == 1 || (s < 0 && res == 0))
			res = s;
	}
	if (res < 0)
		return tr_refuse(r, off, len, "'startswith()' of %s depends on the deployment's "
		                 "connection URL after \"" PG "\", which retort does not know",
		                 self->written);
	tr_val *b = tr_new(r, V_BOOL, off, len);
	b->i = res;
	*out = b;
	return RT_OK;
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
	if (tr_is_logger_factory(name)) {
		/* the name of a logger does not change what it shows */
		*out = named_obj(r, name[0] == 'l' ? "logging.Logger" : "structlog.BoundLogger", off,
		                  len);
		return RT_OK;
	}
	if (strncmp(name, "logging.", 8) == 0)
		return log_call(r, name + 8, a, call, out);
	if (strncmp(name, "loguru.logger.", 14) == 0)
		return loguru_call(r, name + 14, a, call, out);
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
	if (strcmp(name, "time.time") == 0) {
		if (a->npos || a->nkw)
			return tr_refuse(r, off, len, "'time.time()' with arguments");
		note_run_time_value(r, name, off, len);
		*out = time_value(r, off, len);
		return RT_OK;
	}
	if (strcmp(name, "os.environ.get") == 0 || strcmp(name, "os.getenv") == 0)
		return env_value(r, name, a, off, len, out);
	if (strcmp(name, "json.dumps") == 0)
		return json_dumps(r, a, off, len, out);
	if (strcmp(name, "textwrap.dedent") == 0)
		return dedent(r, a, off, len, out);
	if (strcmp(name, "sys.stdout.flush") == 0 || strcmp(name, "sys.stderr.flush") == 0) {
		/* what print() wrote is shown when its step runs, flushed or not */
		if (a->npos || a->nkw)
			return tr_refuse(r, off, len, "'%s()' with arguments", name);
		*out = tr_new(r, V_NONE, off, len);
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
