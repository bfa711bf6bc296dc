"""ES2024-ES2025 built-ins: the Set methods (union, intersection, difference,
symmetricDifference, isSubsetOf, isSupersetOf, isDisjointFrom), Map.groupBy,
Map/WeakMap getOrInsert and getOrInsertComputed, Math.sumPrecise, Math.f16round,
Error.isError, JSON.rawJSON / JSON.isRawJSON and the Error.prototype.stack accessor.

Node 20 has none of these, so the expected values come from the spec text (and test262).
Each case is a small JS program run through luascript.Runtime().eval; programs return plain
values or JSON text, and catch errors to return their name.
"""

import pytest

import luascript


@pytest.fixture(scope="module")
def rt():
    return luascript.Runtime()


def js(rt, src):
    return rt.eval(src)


def error_name(rt, expr):
    return js(rt, "(() => { try { %s; return 'no error'; } catch (e) { return e.name; } })()" % expr)


# ---------------------------------------------------------------------------------------------
# Set methods

SET_CASES = [
    ("union", "[1,2,3,4]", "[3,4,5]", [1, 2, 3, 4, 5]),
    ("intersection", "[1,2,3,4]", "[3,4,5]", [3, 4]),
    ("intersection", "[3,4]", "[1,2,3,4,5]", [3, 4]),
    ("difference", "[1,2,3,4]", "[3,4,5]", [1, 2]),
    ("difference", "[1,2]", "[2,3,4,5]", [1]),
    ("symmetricDifference", "[1,2,3,4]", "[3,4,5]", [1, 2, 5]),
    ("union", "[]", "[]", []),
]


@pytest.mark.parametrize("name,a,b,expected", SET_CASES)
def test_set_combining_methods(rt, name, a, b, expected):
    assert js(rt, "[...new Set(%s).%s(new Set(%s))]" % (a, name, b)) == expected


@pytest.mark.parametrize("expr,expected", [
    ("new Set([1,2]).isSubsetOf(new Set([1,2,3]))", True),
    ("new Set([1,4]).isSubsetOf(new Set([1,2,3]))", False),
    ("new Set([1,2,3,4]).isSubsetOf(new Set([1,2,3]))", False),
    ("new Set([1,2,3]).isSupersetOf(new Set([1,3]))", True),
    ("new Set([1,2,3]).isSupersetOf(new Set([1,9]))", False),
    ("new Set([1,2]).isSupersetOf(new Set([1,2,3]))", False),
    ("new Set([1,2]).isDisjointFrom(new Set([3,4,5]))", True),
    ("new Set([1,2,3,4]).isDisjointFrom(new Set([4]))", False),
    ("new Set([]).isSubsetOf(new Set([]))", True),
])
def test_set_predicates(rt, expr, expected):
    assert js(rt, expr) is expected


def test_set_methods_length_and_name(rt):
    names = ["union", "intersection", "difference", "symmetricDifference",
             "isSubsetOf", "isSupersetOf", "isDisjointFrom"]
    for n in names:
        assert js(rt, "Set.prototype.%s.length" % n) == 1
        assert js(rt, "Set.prototype.%s.name" % n) == n
        assert js(rt, "Object.getOwnPropertyDescriptor(Set.prototype, '%s').enumerable" % n) is False
        assert error_name(rt, "new Set.prototype.%s(new Set())" % n) == "TypeError"


def test_set_methods_take_set_likes_and_maps(rt):
    assert js(rt, "[...new Set([1,2]).union(new Map([[3,'x']]))]") == [1, 2, 3]
    assert js(rt, """
        const like = {size: 2, has: v => v === 1 || v === 5, keys: () => [1, 5][Symbol.iterator]()};
        JSON.stringify([[...new Set([1,2,3]).intersection(like)], [...new Set([1,2,3]).difference(like)],
                        [...new Set([1,2,3]).symmetricDifference(like)], new Set([1]).isSubsetOf(like)])
    """) == "[[1],[2,3],[2,3,5],true]"


def test_set_methods_results_are_plain_sets(rt):
    assert js(rt, """
        class MySet extends Set {}
        const r = new MySet([1]).union(new Set([2]));
        Object.getPrototypeOf(r) === Set.prototype && !(r instanceof MySet) && r.size === 2
    """) is True


def test_set_methods_canonicalize_minus_zero(rt):
    assert js(rt, """
        const r = new Set([1]).union({size: 1, has() {}, keys() { return [-0][Symbol.iterator](); }});
        Object.is([...r][1], 0)
    """) is True


def test_get_set_record_validation(rt):
    assert error_name(rt, "new Set([1]).union(1)") == "TypeError"
    assert error_name(rt, "new Set([1]).union([1, 2])") == "TypeError"        # size undefined -> NaN
    assert error_name(rt, "new Set([1]).union({size: NaN, has() {}, keys() {}})") == "TypeError"
    assert error_name(rt, "new Set([1]).union({size: 'x', has() {}, keys() {}})") == "TypeError"
    assert error_name(rt, "new Set([1]).union({size: -1, has() {}, keys() {}})") == "RangeError"
    assert error_name(rt, "new Set([1]).union({size: 1, has: 1, keys() {}})") == "TypeError"
    assert error_name(rt, "new Set([1]).union({size: 1, has() {}, keys: {}})") == "TypeError"
    assert error_name(rt, "new Set([1]).union({size: 1, has() {}, keys() { return 1; }})") == "TypeError"
    assert error_name(rt, "Set.prototype.union.call(new Map(), new Set())") == "TypeError"
    assert error_name(rt, "Set.prototype.isSubsetOf.call({}, new Set())") == "TypeError"
    # -0.5 truncates to -0, which is not negative
    assert js(rt, "new Set([]).isSubsetOf({size: -0.5, has() {}, keys() {}})") is True


def test_get_set_record_order_of_calls(rt):
    assert js(rt, """
        const log = [];
        const like = {
          get size() { log.push('size'); return {valueOf() { log.push('valueOf'); return 1; }}; },
          get has() { log.push('has'); return v => { log.push('has(' + v + ')'); return v === 'a'; }; },
          get keys() {
            log.push('keys');
            return () => {
              log.push('keys()');
              let i = 0;
              return {get next() { log.push('next'); return () => {
                log.push('next()');
                return i++ < 1 ? {done: false, value: 'a'} : {done: true};
              }; }};
            };
          },
        };
        new Set(['a']).intersection(like);
        log.push('|');
        new Set(['a', 'b']).intersection(like);
        log.join(',')
    """) == ("size,valueOf,has,keys,has(a),|,"
             "size,valueOf,has,keys,keys(),next,next(),next()")


def test_is_subset_of_stops_at_first_miss(rt):
    assert js(rt, """
        let calls = 0;
        const like = {size: 10, has(v) { calls++; return v !== 1; }, keys() { throw new Error('no'); }};
        [new Set([1, 2, 3]).isSubsetOf(like), calls].join()
    """) == "false,1"


def test_superset_and_disjoint_close_the_iterator(rt):
    assert js(rt, """
        const it = {n: 0, ret: 0, next() { return {done: this.n >= 3, value: 4 + this.n++}; },
                    return() { this.ret++; return {}; }};
        const like = {size: 3, has: v => v >= 4 && v <= 6, keys: () => it};
        const a = new Set([4, 5, 6, 7]).isDisjointFrom(like);
        const r1 = [it.n, it.ret];
        it.n = it.ret = 0;
        const b = new Set([0, 1, 2, 3]).isSupersetOf(like);
        JSON.stringify([a, r1, b, [it.n, it.ret]])
    """) == "[false,[1,1],false,[1,1]]"


def test_union_copies_this_after_calling_keys(rt):
    # keys() runs before the copy of this set's data; later mutations do not show
    assert js(rt, """
        const base = new Set(['a', 'b']);
        const like = {size: 1, has() {}, keys() {
          base.add('k');
          let done = false;
          return {next() { base.add('late'); const r = {done, value: 'x'}; done = true; return r; }};
        }};
        [...base.union(like)].join()
    """) == "a,b,k,x"


def test_intersection_sees_mutations_during_has(rt):
    assert js(rt, """
        const base = new Set([1, 2, 3]);
        const r = base.intersection({size: 10, has(v) {
          if (v === 1) { base.delete(2); base.add(9); }
          return true;
        }, keys() {}});
        [...r].join()
    """) == "1,3,9"


# ---------------------------------------------------------------------------------------------
# Map.groupBy, getOrInsert, getOrInsertComputed

def test_map_group_by(rt):
    assert js(rt, """
        const m = Map.groupBy([1, 2, 3, 4, 5], (x, i) => x % 2 ? 'odd' : 'even');
        JSON.stringify([m instanceof Map, Object.getPrototypeOf(m) === Map.prototype, [...m]])
    """) == '[true,true,[["odd",[1,3,5]],["even",[2,4]]]]'
    assert js(rt, "JSON.stringify([...Map.groupBy('abca', c => c)])") == '[["a",["a","a"]],["b",["b"]],["c",["c"]]]'
    assert js(rt, "const k = []; Map.groupBy(['x', 'y'], (v, i) => k.push(i)); k.join()") == "0,1"
    assert js(rt, "const m = Map.groupBy([1, 2], x => x === 1 ? -0 : 0); Object.is([...m.keys()][0], 0) && m.size === 1") is True
    assert js(rt, "const o = {}; Map.groupBy([1, 2], () => o).get(o).length") == 2
    assert js(rt, "Map.groupBy([], x => x).size") == 0
    assert js(rt, "[Map.groupBy.length, Map.groupBy.name].join()") == "2,groupBy"


def test_map_group_by_errors_and_closing(rt):
    assert error_name(rt, "Map.groupBy([1], 1)") == "TypeError"
    assert error_name(rt, "Map.groupBy(null, x => x)") == "TypeError"
    assert error_name(rt, "Map.groupBy({}, x => x)") == "TypeError"
    assert js(rt, """
        let closed = 0;
        function* g() { try { yield 1; yield 2; } finally { closed++; } }
        let msg;
        try { Map.groupBy(g(), () => { throw new RangeError('cb'); }); } catch (e) { msg = e.message; }
        [msg, closed].join()
    """) == "cb,1"


def test_map_get_or_insert(rt):
    assert js(rt, """
        const m = new Map([['a', 1]]);
        const r = [m.getOrInsert('a', 2), m.getOrInsert('b', 3), m.get('b'), m.size];
        r.push(m.getOrInsert(-0, 'z'), Object.is([...m.keys()][2], 0), m.getOrInsert(0, 'w'));
        r.push(m.getOrInsert(NaN, 'n'), m.getOrInsert(NaN, 'm'));
        JSON.stringify(r)
    """) == '[1,3,3,2,"z",true,"z","n","n"]'
    assert js(rt, "[Map.prototype.getOrInsert.length, Map.prototype.getOrInsert.name].join()") == "2,getOrInsert"
    assert error_name(rt, "Map.prototype.getOrInsert.call(new Set(), 1, 2)") == "TypeError"
    assert error_name(rt, "Map.prototype.getOrInsert.call(new WeakMap(), {}, 2)") == "TypeError"


def test_map_get_or_insert_computed(rt):
    assert js(rt, """
        const m = new Map([['a', 1]]);
        const seen = [];
        const cb = k => { seen.push(k); return k + '!'; };
        const r = [m.getOrInsertComputed('a', cb), m.getOrInsertComputed('b', cb), m.get('b')];
        m.getOrInsertComputed(-0, k => { seen.push(Object.is(k, 0)); return 0; });
        // the callback's own insertion of the key is overwritten
        r.push(m.getOrInsertComputed('c', k => { m.set('c', 'inner'); return 'outer'; }), m.get('c'));
        JSON.stringify([r, seen, m.size])
    """) == '[[1,"b!","b!","outer","outer"],["b",true],4]'
    assert js(rt, "[Map.prototype.getOrInsertComputed.length, Map.prototype.getOrInsertComputed.name].join()") \
        == "2,getOrInsertComputed"
    assert error_name(rt, "new Map().getOrInsertComputed(1, 2)") == "TypeError"
    # a present key does not need a callable... but the check comes first
    assert error_name(rt, "new Map([[1, 1]]).getOrInsertComputed(1, null)") == "TypeError"
    assert js(rt, "const m = new Map(); try { m.getOrInsertComputed(1, () => { throw 1; }); } catch (e) {} m.has(1)") is False


def test_weakmap_get_or_insert(rt):
    assert js(rt, """
        const w = new WeakMap(), o = {}, s = Symbol('s');
        const r = [w.getOrInsert(o, 1), w.getOrInsert(o, 2), w.getOrInsertComputed({}, () => 3),
                   w.getOrInsertComputed(s, k => typeof k), w.get(s), w.getOrInsert({}, undefined) === undefined];
        JSON.stringify(r)
    """) == '[1,1,3,"symbol","symbol",true]'
    assert error_name(rt, "new WeakMap().getOrInsert(1, 1)") == "TypeError"
    assert error_name(rt, "new WeakMap().getOrInsert(Symbol.for('registered'), 1)") == "TypeError"
    assert error_name(rt, "new WeakMap().getOrInsertComputed({}, 1)") == "TypeError"
    assert error_name(rt, "WeakMap.prototype.getOrInsert.call(new Map(), {}, 1)") == "TypeError"
    assert js(rt, "[WeakMap.prototype.getOrInsertComputed.length, WeakMap.prototype.getOrInsert.name].join()") \
        == "2,getOrInsert"


def test_weak_collections_accept_unregistered_symbols(rt):
    assert js(rt, "const s = Symbol(); new WeakMap([[s, 1]]).get(s)") == 1
    assert js(rt, "new WeakSet([Symbol.iterator]).has(Symbol.iterator)") is True
    assert error_name(rt, "new WeakSet().add(Symbol.for('x'))") == "TypeError"


def test_collection_constructors_use_the_adder(rt):
    assert js(rt, """
        class M extends Map { set(k, v) { return super.set(k, v * 10); } }
        class S extends Set { add(v) { return super.add(v + 1); } }
        [new M([[1, 2]]).get(1), [...new S([1, 2])].join()].join('|')
    """) == "20|2,3"
    assert js(rt, """
        let closed = 0;
        const it = {[Symbol.iterator]() { return {next: () => ({value: 1, done: false}),
                                                  return() { closed++; return {}; }}; }};
        let name;
        try { new Map(it); } catch (e) { name = e.name; }
        [name, closed].join()
    """) == "TypeError,1"


# ---------------------------------------------------------------------------------------------
# Math.sumPrecise

@pytest.mark.parametrize("items,expected", [
    ("[1, 2, 3]", "6"),
    ("[0.1, 0.2, 0.3]", "0.6"),
    ("[1e308, 1e308, 0.1, 0.1, 1e30, 0.1, -1e30, -1e308, -1e308]", "0.30000000000000004"),
    ("[1e30, 0.1, -1e30]", "0.1"),
    ("[2**53, 1]", "9007199254740992"),
    ("[2**53, 1, 1]", "9007199254740994"),
    ("[2**53, 3]", "9007199254740996"),
    ("[5e-324, 5e-324]", "1e-323"),
    ("[8.98846567431158e+307, 8.988465674311579e+307, -1.7976931348623157e+308]", "9.9792015476736e+291"),
    ("[-5.630637621603525e+255, 9.565271205476345e+307, 2.9937604643020797e+292]", "9.565271205476347e+307"),
    ("[-2.534858246857893e+115, 8.988465674311579e+307, 8.98846567431158e+307]", "1.7976931348623157e+308"),
    ("[8.98846567431158e+307, 8.98846567431158e+307]", "Infinity"),
    ("[1.3588124894186193e+308, 1.4803986201152006e+223, 6.741349255733684e+307]", "Infinity"),
    ("[6.197409167220438e-223, -9.979201547673601e+291, -1.7976931348623157e+308]", "-Infinity"),
    ("[Infinity, 1]", "Infinity"),
    ("[-Infinity, -Infinity]", "-Infinity"),
    ("[Infinity, -Infinity]", "NaN"),
    ("[NaN, 1]", "NaN"),
    ("[1, -1]", "0"),
])
def test_sum_precise(rt, items, expected):
    assert js(rt, "String(Math.sumPrecise(%s))" % items) == expected


def test_sum_precise_signed_zero_and_iterables(rt):
    assert js(rt, "[Object.is(Math.sumPrecise([]), -0), Object.is(Math.sumPrecise([-0, -0]), -0),"
                  " Object.is(Math.sumPrecise([-0, 0]), 0), Object.is(Math.sumPrecise([1, -1]), 0)].join()") \
        == "true,true,true,true"
    assert js(rt, "function* g() { yield 1; yield 2.5; } Math.sumPrecise(g())") == 3.5
    assert js(rt, "Math.sumPrecise(new Set([1, 2, 2]))") == 3
    assert js(rt, "const a = [4]; a[Symbol.iterator] = function* () { yield 1; yield 2; }; Math.sumPrecise(a)") == 3
    assert js(rt, "[Math.sumPrecise.length, Math.sumPrecise.name].join()") == "1,sumPrecise"


def test_sum_precise_rejects_non_numbers(rt):
    assert error_name(rt, "Math.sumPrecise()") == "TypeError"
    assert error_name(rt, "Math.sumPrecise(1, 2)") == "TypeError"
    assert error_name(rt, "Math.sumPrecise({})") == "TypeError"
    assert error_name(rt, "Math.sumPrecise([1, '2'])") == "TypeError"
    assert error_name(rt, "Math.sumPrecise([new Number(1)])") == "TypeError"
    assert error_name(rt, "new Math.sumPrecise([])") == "TypeError"
    assert js(rt, """
        let coerced = 0, closed = 0;
        const bad = {valueOf() { coerced++; return 1; }};
        const it = {[Symbol.iterator]() { return {next: () => ({done: false, value: bad}),
                                                  return() { closed++; return {}; }}; }};
        let name;
        try { Math.sumPrecise(it); } catch (e) { name = e.name; }
        [name, coerced, closed].join()
    """) == "TypeError,0,1"


def test_sum_precise_random_exact(rt):
    # against Python's exact rational arithmetic
    import random
    from fractions import Fraction
    rnd = random.Random(1234)
    cases = []
    for _ in range(200):
        xs = []
        for _ in range(rnd.randint(1, 8)):
            kind = rnd.random()
            if kind < 0.4:
                x = rnd.uniform(-1, 1) * 10 ** rnd.randint(-20, 20)
            elif kind < 0.7:
                x = float(rnd.randint(-2 ** 60, 2 ** 60))
            else:
                x = rnd.choice([1e308, -1e308, 5e-324, 0.1, -0.1, 1.7976931348623157e308])
            xs.append(x)
        total = sum(Fraction(x) for x in xs)
        try:
            exp = float(total)
        except OverflowError:
            exp = float("inf") if total > 0 else float("-inf")
        cases.append((xs, exp))
    src = "[%s].map(xs => Math.sumPrecise(xs))" % ",".join(
        "[%s]" % ",".join(repr(x).replace("inf", "Infinity") for x in xs) for xs, _ in cases)
    got = js(rt, src)
    assert [float(g) for g in got] == [e for _, e in cases]


# ---------------------------------------------------------------------------------------------
# Math.f16round

@pytest.mark.parametrize("x,expected", [
    ("1.337", "1.3369140625"),
    ("65504", "65504"),
    ("65519.99", "65504"),
    ("65520", "Infinity"),
    ("-65520", "-Infinity"),
    ("1.00048828125", "1"),                 # tie, to even
    ("1.00146484375", "1.001953125"),       # tie, to even (up)
    ("5.960464477539063e-8", "5.960464477539063e-8"),   # smallest subnormal
    ("2.9802322387695312e-8", "0"),         # half of it: tie to even zero
    ("2.980232238769532e-8", "5.960464477539063e-8"),
    ("6.103515625e-05", "0.00006103515625"),           # smallest normal
    ("NaN", "NaN"),
    ("Infinity", "Infinity"),
    ("'0.5'", "0.5"),
])
def test_f16round(rt, x, expected):
    assert js(rt, "String(Math.f16round(%s))" % x) == expected


def test_f16round_signs_and_shape(rt):
    assert js(rt, "[Object.is(Math.f16round(-0), -0), Object.is(Math.f16round(-1e-10), -0),"
                  " Object.is(Math.f16round(1e-10), 0)].join()") == "true,true,true"
    assert js(rt, "[Math.f16round.length, Math.f16round.name, Math.f16round()].join()") == "1,f16round,NaN"


def test_f16round_matches_numpy(rt):
    np = pytest.importorskip("numpy")
    import random
    rnd = random.Random(99)
    xs = [rnd.uniform(-70000, 70000) for _ in range(300)]
    xs += [rnd.uniform(-1, 1) * 2.0 ** rnd.randint(-30, 16) for _ in range(300)]
    for _ in range(300):   # exact midpoints between neighbouring halves
        a = np.float16(rnd.uniform(-60000, 60000))
        xs.append((float(a) + float(np.nextafter(a, np.float16(np.inf)))) / 2)
    got = js(rt, "[%s].map(Math.f16round)" % ",".join(repr(x) for x in xs))
    with np.errstate(over="ignore"):
        assert [float(g) for g in got] == [float(np.float16(x)) for x in xs]


# ---------------------------------------------------------------------------------------------
# Error.isError

def test_error_is_error(rt):
    assert js(rt, """
        class MyError extends TypeError {}
        [new Error(), TypeError('x'), new RangeError(), new SyntaxError(), new ReferenceError(),
         new EvalError(), new URIError(), new AggregateError([]), new MyError()].every(e => Error.isError(e))
    """) is True
    assert js(rt, """
        [{}, [], () => 1, Error, Error.prototype, Object.create(Error.prototype),
         {__proto__: Error.prototype, message: '', stack: ''}, 1, 'e', null, undefined, Symbol()]
          .some(v => Error.isError(v))
    """) is False
    assert js(rt, "const es = []; try { null.x; } catch (e) { es.push(e); } try { undefinedName; } catch (e) { es.push(e); }"
                  " es.length === 2 && es.every(e => Error.isError(e))") is True
    assert js(rt, "Error.isError(Object.freeze(new Error('f')))") is True
    assert js(rt, "Error.isError(Object.setPrototypeOf(new Error(), null))") is True
    assert js(rt, "[Error.isError.length, Error.isError.name, Error.isError()].join()") == "1,isError,false"
    assert js(rt, "Object.getOwnPropertyDescriptor(Error, 'isError').enumerable") is False
    assert error_name(rt, "new Error.isError()") == "TypeError"


# ---------------------------------------------------------------------------------------------
# JSON.rawJSON / JSON.isRawJSON (ES2025): stringify writes the raw text verbatim.

@pytest.mark.parametrize("expr,expected", [
    ('JSON.stringify({a: JSON.rawJSON("1e1000")})', '{"a":1e1000}'),
    ('JSON.stringify([JSON.rawJSON("123456789012345678901234567890"), JSON.rawJSON("null")])',
     '[123456789012345678901234567890,null]'),
    ('JSON.stringify(JSON.rawJSON(\'"x"\'))', '"x"'),
    ('JSON.stringify({n: JSON.rawJSON("true")}, null, 1)', '{\n "n": true\n}'),
    ('JSON.rawJSON("-0.5").rawJSON', "-0.5"),
    ("JSON.isRawJSON(JSON.rawJSON('1'))", True),
    ("JSON.isRawJSON({rawJSON: '1'})", False),
    ("JSON.isRawJSON(1)", False),
    ("Object.isFrozen(JSON.rawJSON('1')) && Object.getPrototypeOf(JSON.rawJSON('1')) === null", True),
])
def test_raw_json(rt, expr, expected):
    assert js(rt, expr) == expected


@pytest.mark.parametrize("text", ["", " 1", "1\n", "{}", "[1]", "1 2", "nope", '"open'])
def test_raw_json_rejects_non_primitive_or_padded_text(rt, text):
    assert error_name(rt, "JSON.rawJSON(%r)" % text) == "SyntaxError"


def test_to_string_tags_are_read_only():
    rt = luascript.Runtime()
    src = """[JSON, Math, Map.prototype, Promise.prototype].map(o => {
      const d = Object.getOwnPropertyDescriptor(o, Symbol.toStringTag);
      return [d.value, d.writable, d.enumerable, d.configurable].join();
    }).join(";")"""
    assert js(rt, src) == "JSON,false,false,true;Math,false,false,true;Map,false,false,true;Promise,false,false,true"


# ---------------------------------------------------------------------------------------------
# Promise.withResolvers (ES2024)

def test_with_resolvers_settles_its_promise(rt):
    js(rt, "globalThis.wr = Promise.withResolvers(); wr.promise.then(v => { globalThis.wrGot = v })")
    js(rt, "wr.resolve(7)")
    rt.eval("0")   # runs the microtasks queued by the resolve
    assert js(rt, "[typeof wr.resolve, typeof wr.reject, wr.promise instanceof Promise, globalThis.wrGot]") \
        == ["function", "function", True, 7]


@pytest.mark.parametrize("this", ["undefined", "1", "{}"])
def test_with_resolvers_needs_a_constructor(rt, this):
    assert error_name(rt, "Promise.withResolvers.call(%s)" % this) == "TypeError"


# ---------------------------------------------------------------------------------------------
# Error.prototype.stack (proposal error-stack-accessor); errors keep V8's own "stack" as well

def test_error_stack_accessor_descriptor(rt):
    assert js(rt, """(() => { const d = Object.getOwnPropertyDescriptor(Error.prototype, 'stack');
        return [typeof d.get, typeof d.set, d.get.name, d.set.name, d.get.length, d.set.length,
                d.enumerable, d.configurable] })()""") == \
        ["function", "function", "get stack", "set stack", 0, 1, False, True]


def test_error_stack_getter(rt):
    get = "Object.getOwnPropertyDescriptor(Error.prototype, 'stack').get"
    assert js(rt, "typeof %s.call(new TypeError('t'))" % get) == "string"
    assert js(rt, "%s.call(new RangeError('boom')).split('\\n')[0]" % get) == "RangeError: boom"
    # no [[ErrorData]]: undefined, even with an own stack
    assert js(rt, "%s.call(Object.create(Error.prototype)) === undefined" % get) is True
    assert js(rt, "%s.call({stack: 'x'}) === undefined" % get) is True
    assert error_name(rt, "%s.call(1)" % get) == "TypeError"
    assert error_name(rt, "new (%s)()" % get) == "TypeError"


def test_error_stack_setter(rt):
    set_ = "Object.getOwnPropertyDescriptor(Error.prototype, 'stack').set"
    assert js(rt, """(() => { const o = {}; const r = %s.call(o, 'mine');
        const d = Object.getOwnPropertyDescriptor(o, 'stack');
        return [r === undefined, d.value, d.writable, d.enumerable, d.configurable] })()""" % set_) == \
        [True, "mine", True, True, True]
    assert error_name(rt, "%s.call({}, 42)" % set_) == "TypeError"
    assert error_name(rt, "%s.call(Error.prototype, 's')" % set_) == "TypeError"
    assert error_name(rt, "%s.call(Object.preventExtensions({}), 's')" % set_) == "TypeError"
    # an error's own stack is an ordinary writable property
    assert js(rt, "(() => { const e = new Error('a'); e.stack = 'b'; return e.stack })()") == "b"
