#!/usr/bin/env python3.12
"""Print CPython's ast of each file in the S-expression form of pydump.c.

Used to compare retort's parser with CPython over whole corpora:
    pydump.py FILE...      one "== FILE" header, then one line per statement
Requires Python 3.12 (PEP 695/701 syntax, docstrings not dedented).
"""
import ast
import sys

BINOPS = {ast.Add: '+', ast.Sub: '-', ast.Mult: '*', ast.Div: '/', ast.FloorDiv: '//',
          ast.Mod: '%', ast.MatMult: '@', ast.Pow: '**', ast.LShift: '<<', ast.RShift: '>>',
          ast.BitOr: '|', ast.BitXor: '^', ast.BitAnd: '&'}
UNOPS = {ast.UAdd: '+', ast.USub: '-', ast.Invert: '~', ast.Not: 'not'}
CMPOPS = {ast.Eq: '==', ast.NotEq: '!=', ast.Lt: '<', ast.LtE: '<=', ast.Gt: '>',
          ast.GtE: '>=', ast.In: 'in', ast.NotIn: 'notin', ast.Is: 'is', ast.IsNot: 'isnot'}


def opt(e):
    return '_' if e is None else expr(e)


def exprs(v):
    return '[' + ' '.join(expr(e) for e in v) + ']'


def keywords(kws):
    return '[' + ' '.join('(kw %s %s)' % (k.arg or '_', expr(k.value)) for k in kws) + ']'


def params(a):
    out = []
    pos = a.posonlyargs + a.args
    defaults = [None] * (len(pos) - len(a.defaults)) + a.defaults
    for i, p in enumerate(pos):
        kind = 'posonly' if i < len(a.posonlyargs) else 'arg'
        out.append('(%s %s %s %s)' % (kind, p.arg, opt(p.annotation), opt(defaults[i])))
    if a.vararg:
        out.append('(vararg %s %s _)' % (a.vararg.arg, opt(a.vararg.annotation)))
    for p, d in zip(a.kwonlyargs, a.kw_defaults):
        out.append('(kwonly %s %s %s)' % (p.arg, opt(p.annotation), opt(d)))
    if a.kwarg:
        out.append('(kwarg %s %s _)' % (a.kwarg.arg, opt(a.kwarg.annotation)))
    return '[' + ' '.join(out) + ']'


def type_params(tps):
    out = []
    for t in tps:
        if isinstance(t, ast.TypeVar):
            out.append('(typevar %s %s _)' % (t.name, opt(t.bound)))
        elif isinstance(t, ast.TypeVarTuple):
            out.append('(typevartuple %s _ _)' % t.name)
        else:
            out.append('(paramspec %s _ _)' % t.name)
    return '[' + ' '.join(out) + ']'


def comp(name, elt, gens, value=None):
    s = '(%s %s' % (name, expr(elt))
    if value is not None:
        s += ' ' + expr(value)
    for g in gens:
        s += ' (%s %s %s %s)' % ('afor' if g.is_async else 'for', expr(g.target),
                                 expr(g.iter), exprs(g.ifs))
    return s + ')'


def fstr(e):
    s = '(F'
    for v in e.values:
        if isinstance(v, ast.FormattedValue):
            conv = '_' if v.conversion == -1 else chr(v.conversion)
            s += ' (V %s %s %s)' % (expr(v.value), conv, opt(v.format_spec))
    return s + ')'


def expr(e):
    t = type(e)
    if t is ast.Name:
        return e.id
    if t is ast.Constant:
        v = e.value
        if v is None or v is True or v is False:
            return repr(v)
        if v is Ellipsis:
            return '...'
        if isinstance(v, str):
            return "'" + v.encode('utf-8', 'surrogatepass').hex() + "'"
        if isinstance(v, bytes):
            return "b'" + v.hex() + "'"
        return 'N'
    if t is ast.JoinedStr:
        return fstr(e)
    if t is ast.Attribute:
        return '(. %s %s)' % (expr(e.value), e.attr)
    if t is ast.Call:
        return '(call %s %s %s)' % (expr(e.func), exprs(e.args), keywords(e.keywords))
    if t is ast.Subscript:
        return '(sub %s %s)' % (expr(e.value), expr(e.slice))
    if t is ast.Slice:
        return '(slice %s %s %s)' % (opt(e.lower), opt(e.upper), opt(e.step))
    if t in (ast.Tuple, ast.List, ast.Set):
        return '(%s %s)' % (t.__name__.lower(), exprs(e.elts))
    if t is ast.Dict:
        return '(dict' + ''.join(' %s:%s' % (opt(k), expr(v))
                                 for k, v in zip(e.keys, e.values)) + ')'
    if t is ast.ListComp:
        return comp('listcomp', e.elt, e.generators)
    if t is ast.SetComp:
        return comp('setcomp', e.elt, e.generators)
    if t is ast.GeneratorExp:
        return comp('genexp', e.elt, e.generators)
    if t is ast.DictComp:
        return comp('dictcomp', e.key, e.generators, e.value)
    if t is ast.UnaryOp:
        return '(u%s %s)' % (UNOPS[type(e.op)], expr(e.operand))
    if t is ast.BinOp:
        return '(%s %s %s)' % (BINOPS[type(e.op)], expr(e.left), expr(e.right))
    if t is ast.BoolOp:
        return '(%s %s)' % ('and' if isinstance(e.op, ast.And) else 'or', exprs(e.values))
    if t is ast.Compare:
        return '(cmp %s%s)' % (expr(e.left), ''.join(
            ' %s %s' % (CMPOPS[type(o)], expr(c)) for o, c in zip(e.ops, e.comparators)))
    if t is ast.Lambda:
        return '(lambda %s %s)' % (params(e.args), expr(e.body))
    if t is ast.IfExp:
        return '(ifexp %s %s %s)' % (expr(e.test), expr(e.body), expr(e.orelse))
    if t is ast.Starred:
        return '(* %s)' % expr(e.value)
    if t is ast.Await:
        return '(await %s)' % expr(e.value)
    if t is ast.Yield:
        return '(yield %s)' % opt(e.value)
    if t is ast.YieldFrom:
        return '(yieldfrom %s)' % expr(e.value)
    if t is ast.NamedExpr:
        return '(:= %s %s)' % (expr(e.target), expr(e.value))
    raise TypeError(t.__name__)


def pattern(p):
    t = type(p)
    if t is ast.MatchAs:
        if p.pattern is None:
            return '(as _ %s)' % (p.name or '_')
        return '(as %s %s)' % (pattern(p.pattern), p.name)
    if t is ast.MatchOr:
        return '(or' + ''.join(' ' + pattern(x) for x in p.patterns) + ')'
    if t is ast.MatchStar:
        return '(mstar %s)' % (p.name or '_')
    if t is ast.MatchSequence:
        return '(seq' + ''.join(' ' + pattern(x) for x in p.patterns) + ')'
    if t is ast.MatchMapping:
        return '(map' + ''.join(' %s:%s' % (expr(k), pattern(v))
                                for k, v in zip(p.keys, p.patterns)) + ' %s)' % (p.rest or '_')
    if t is ast.MatchClass:
        return '(class %s%s%s)' % (expr(p.cls), ''.join(' ' + pattern(x) for x in p.patterns),
                                   ''.join(' %s=%s' % (n, pattern(x))
                                           for n, x in zip(p.kwd_attrs, p.kwd_patterns)))
    if t is ast.MatchSingleton:
        return '(single %r)' % p.value
    return '(value %s)' % expr(p.value)


def aliases(names):
    return ''.join(' (%s %s)' % (a.name, a.asname or '_') for a in names)


def stmts(body):
    return '[' + ' '.join(stmt(s) for s in body) + ']'


def stmt(s):
    t = type(s)
    if t is ast.Expr:
        return expr(s.value)
    if t is ast.Assign:
        return '(= %s %s)' % (exprs(s.targets), expr(s.value))
    if t is ast.AugAssign:
        return '(%s= %s %s)' % (BINOPS[type(s.op)], expr(s.target), expr(s.value))
    if t is ast.AnnAssign:
        return '(ann %s %s %s)' % (expr(s.target), expr(s.annotation), opt(s.value))
    if t in (ast.Pass, ast.Break, ast.Continue):
        return t.__name__.lower()
    if t is ast.Return:
        return '(return %s)' % opt(s.value)
    if t is ast.Raise:
        return '(raise %s %s)' % (opt(s.exc), opt(s.cause))
    if t is ast.Assert:
        return '(assert %s %s)' % (expr(s.test), opt(s.msg))
    if t is ast.Delete:
        return '(del %s)' % exprs(s.targets)
    if t in (ast.Global, ast.Nonlocal):
        return '(%s%s)' % (t.__name__.lower(), ''.join(' ' + n for n in s.names))
    if t is ast.Import:
        return '(import%s)' % aliases(s.names)
    if t is ast.ImportFrom:
        return '(from %s %d%s)' % (s.module or '_', s.level, aliases(s.names))
    if t in (ast.If, ast.While):
        return '(%s %s %s %s)' % (t.__name__.lower(), expr(s.test), stmts(s.body),
                                  stmts(s.orelse))
    if t in (ast.For, ast.AsyncFor):
        return '(%s %s %s %s %s)' % ('afor' if t is ast.AsyncFor else 'for', expr(s.target),
                                     expr(s.iter), stmts(s.body), stmts(s.orelse))
    if t in (ast.With, ast.AsyncWith):
        items = ' '.join('(%s %s)' % (expr(i.context_expr), opt(i.optional_vars))
                         for i in s.items)
        return '(%s [%s] %s)' % ('awith' if t is ast.AsyncWith else 'with', items,
                                 stmts(s.body))
    if t in (ast.Try, ast.TryStar):
        hs = ' '.join('(except %s %s %s)' % (opt(h.type), h.name or '_', stmts(h.body))
                      for h in s.handlers)
        return '(%s %s [%s] %s %s)' % ('trystar' if t is ast.TryStar else 'try',
                                       stmts(s.body), hs, stmts(s.orelse), stmts(s.finalbody))
    if t in (ast.FunctionDef, ast.AsyncFunctionDef):
        return '(%s %s %s %s %s %s %s)' % (
            'adef' if t is ast.AsyncFunctionDef else 'def', s.name, type_params(s.type_params),
            params(s.args), opt(s.returns), exprs(s.decorator_list), stmts(s.body))
    if t is ast.ClassDef:
        return '(class %s %s %s %s %s %s)' % (
            s.name, type_params(s.type_params), exprs(s.bases), keywords(s.keywords),
            exprs(s.decorator_list), stmts(s.body))
    if t is ast.Match:
        return '(match %s%s)' % (expr(s.subject), ''.join(
            ' (case %s %s %s)' % (pattern(c.pattern), opt(c.guard), stmts(c.body))
            for c in s.cases))
    if t is ast.TypeAlias:
        return '(type %s %s %s)' % (expr(s.name), type_params(s.type_params), expr(s.value))
    raise TypeError(t.__name__)


def main():
    for path in sys.argv[1:]:
        with open(path, 'rb') as f:
            tree = ast.parse(f.read())
        print('==', path)
        for s in tree.body:
            print(stmt(s))


if __name__ == '__main__':
    main()
