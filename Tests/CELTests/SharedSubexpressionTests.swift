import CEL
import Foundation
import XCTest

/// Subexpressions evaluated once and reused: counted through a host function that records its
/// calls, with the values checked against what evaluating every occurrence gives.
final class SharedSubexpressionTests: XCTestCase {
    /// Calls of `probe(x)` (returns x) and `failing(x)` (returns an error).
    final class Calls: @unchecked Sendable {
        private let lock = NSLock()
        private var counts: [String: Int] = [:]
        func record(_ name: String) { lock.withLock { counts[name, default: 0] += 1 } }
        func count(_ name: String) -> Int { lock.withLock { counts[name, default: 0] } }
    }

    private func evaluate(_ expression: String, _ bindings: [String: CELValue] = [:], sharing: Bool = true) throws -> (value: CELValue, calls: Calls) {
        let calls = Calls()
        var env = CELEnvironment(
            declaredVariables: bindings.keys,
            functions: [
                CELFunction(name: "probe", kind: .global, arity: 1) { arguments in
                    calls.record("probe")
                    return arguments[0]
                },
                CELFunction(name: "failing", kind: .global, arity: 1) { _ in
                    calls.record("failing")
                    return .error(CELEvalError("failing was called"))
                },
            ])
        env.sharesSubexpressions = sharing
        let program = try env.compile(expression)
        return (program.evaluate(bindings), calls)
    }

    private func render(_ value: CELValue) -> String { CELFormatterHelper.render(value) }

    func testRepeatedSubexpressionIsEvaluatedOnce() throws {
        let (value, calls) = try evaluate("probe(20) + probe(20) + probe(2)")
        XCTAssertEqual(render(value), "42")
        XCTAssertEqual(calls.count("probe"), 2)
    }

    func testSharingCanBeTurnedOff() throws {
        let (value, calls) = try evaluate("probe(20) + probe(20) + probe(2)", sharing: false)
        XCTAssertEqual(render(value), "42")
        XCTAssertEqual(calls.count("probe"), 3)
    }

    func testLoopInvariantIsEvaluatedOncePerOuterIteration() throws {
        let (value, calls) = try evaluate("[1, 2, 3].all(x, [4, 5].all(y, probe(x) < y))")
        XCTAssertEqual(render(value), "true")
        XCTAssertEqual(calls.count("probe"), 3)
        // Independent of every variable: once for the whole evaluation.
        let (list, once) = try evaluate("[1, 2, 3].map(x, x + probe(10))")
        XCTAssertEqual(render(list), "[11, 12, 13]")
        XCTAssertEqual(once.count("probe"), 1)
    }

    func testEachIterationSeesItsOwnValue() throws {
        // Same text, same depth, two comprehensions: one memo slot, cleared by both.
        let (value, calls) = try evaluate("[1, 2].map(x, probe(x) * 10) + [3, 4].map(x, probe(x) * 10)")
        XCTAssertEqual(render(value), "[10, 20, 30, 40]")
        XCTAssertEqual(calls.count("probe"), 4)
        let (nested, _) = try evaluate("[1, 2].map(x, [10, 20].map(x, probe(x) + 1))")
        XCTAssertEqual(render(nested), "[[11, 21], [11, 21]]")
        let (outer, _) = try evaluate("[1, 2].map(x, [10, 20].map(y, probe(x) + probe(y)))")
        XCTAssertEqual(render(outer), "[[11, 21], [12, 22]]")
    }

    func testBindAndBlockVariables() throws {
        let (bound, calls) = try evaluate("[1, 2].map(v, cel.bind(w, v * 10, probe(w) + probe(w)))")
        XCTAssertEqual(render(bound), "[20, 40]")
        XCTAssertEqual(calls.count("probe"), 2)
        let (block, blockCalls) = try evaluate("cel.block([probe(3), cel.index(0) * 2], probe(cel.index(1)) + probe(cel.index(1)))")
        XCTAssertEqual(render(block), "12")
        XCTAssertEqual(blockCalls.count("probe"), 2)
    }

    func testShortCircuitStaysLazy() throws {
        let (value, calls) = try evaluate("false && probe(1) == 1 || true || probe(1) == 1")
        XCTAssertEqual(render(value), "true")
        XCTAssertEqual(calls.count("probe"), 0)
    }

    func testErrorsAreNotKept() throws {
        let (value, calls) = try evaluate("failing(1) == 1 || failing(1) == 2 || true")
        XCTAssertEqual(render(value), "true")
        XCTAssertEqual(calls.count("failing"), 2)
        // Each occurrence reports its own position: the second `m.a` starts 22 characters on.
        let empty = ["m": CELValue.map(CELMap([String: CELValue]()))]
        let (alone, _) = try evaluate("m.a", empty)
        let (missing, _) = try evaluate("(m.a == 1 || true) && m.a == 2", empty)
        guard case .error(let first) = alone, case .error(let second) = missing, let offset = first.offset else {
            return XCTFail("expected errors, got \(render(alone)) and \(render(missing))")
        }
        XCTAssertEqual(second.offset, offset + 22)
    }

    func testPresenceTestsAndSelectionsOfTheSameFieldAreDistinct() throws {
        let map = CELValue.map(CELMap(["a": .int(7)]))
        let (value, _) = try evaluate("has(m.a) && m.a == 7 && !has(m.b) && has(m.a)", ["m": map])
        XCTAssertEqual(render(value), "true")
    }

    func testReuseCostsOneUnit() throws {
        let env = CELEnvironment(declaredVariables: ["s"])
        let shared = try env.compile("s.size() + s.size() + s.size()")
        let single = try env.compile("s.size()")
        let activation = CELDictionaryActivation(["s": .string("abc")])
        let (sharedValue, sharedCost) = shared.evaluateWithCost(activation)
        let (_, singleCost) = single.evaluateWithCost(activation)
        XCTAssertEqual(render(sharedValue), "9")
        XCTAssertEqual(sharedCost, singleCost + 2 + 2)
    }
    /// A kept value is released when its comprehension's next iteration forgets it, and when the
    /// evaluation ends: every list `tracked(i)` makes (a list of a host object) is freed.
    func testKeptValuesAreReleased() throws {
        final class Host: CELCollectionHost, @unchecked Sendable {
            override func count(of id: UInt32) -> Int { 1 }
            override func element(of id: UInt32, at index: Int) -> CELValue { .int(Int64(id)) }
        }
        final class Made: @unchecked Sendable {
            private let lock = NSLock()
            private var hosts: [Weak] = []
            struct Weak { weak var host: Host? }
            func make(_ id: Int64) -> CELValue {
                let host = Host()
                lock.withLock { hosts.append(Weak(host: host)) }
                return .list(CELList(host: host, id: UInt32(id)))
            }
            var count: Int { lock.withLock { hosts.count } }
            var alive: Int { lock.withLock { hosts.filter { $0.host != nil }.count } }
        }
        let made = Made()
        let env = CELEnvironment(declaredVariables: [], functions: [
            CELFunction(name: "tracked", kind: .global, arity: 1) { arguments in
                guard case .int(let id) = arguments[0] else { return .error(CELEvalError("not an int")) }
                return made.make(id)
            },
        ])
        let program = try env.compile("[1, 2, 3].all(i, tracked(i)[0] == i && tracked(i).size() == 1) && tracked(7).size() + tracked(7).size() == 2")
        XCTAssertEqual(render(program.evaluate([:])), "true")
        XCTAssertEqual(made.count, 4, "each shared occurrence is made once per iteration, and once outside")
        XCTAssertEqual(made.alive, 0)
    }
}
