@testable import CEL
import Foundation
import XCTest

/// `CompilerThread.concurrentPerform`: every iteration once, on the compiler threads, with the
/// compilations it makes run in place; callers on several threads at once, and a call from inside
/// an iteration, finish.
final class CompilerThreadTests: XCTestCase {
    /// How many times each iteration ran, what it computed, and whether every one ran on a
    /// compiler thread.
    private final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private var runs: [Int: Int] = [:]
        private var results: [Int: Int64] = [:]
        private var onCompilerThreads = true

        func record(_ index: Int, result: Int64? = nil) {
            let onPool = CompilerThread.isCurrent
            lock.withLock {
                runs[index, default: 0] += 1
                results[index] = result
                onCompilerThreads = onCompilerThreads && onPool
            }
        }

        var counts: [Int: Int] { lock.withLock { runs } }
        var values: [Int: Int64] { lock.withLock { results } }
        var allOnCompilerThreads: Bool { lock.withLock { onCompilerThreads } }
    }

    /// 249 nested parentheses: the deepest expression the parser accepts, compiled in place.
    private static let deepest = String(repeating: "(", count: 249) + "1" + String(repeating: ")", count: 249)

    func testEveryIterationRunsOnceOnACompilerThread() {
        let tally = Tally()
        CompilerThread.concurrentPerform(iterations: 40) { index in
            tally.record(index, result: try? CELEnvironment().compile(index % 8 == 0 ? Self.deepest : "\(index) * 2").evaluate([:]).intValue)
        }
        XCTAssertEqual(tally.counts, Dictionary(uniqueKeysWithValues: (0..<40).map { ($0, 1) }))
        XCTAssertTrue(tally.allOnCompilerThreads)
        XCTAssertEqual(tally.values, Dictionary(uniqueKeysWithValues: (0..<40).map { ($0, $0 % 8 == 0 ? 1 : Int64($0 * 2)) }))
        XCTAssertFalse(CompilerThread.isCurrent)
    }

    func testNoIterationCallsNothing() {
        let tally = Tally()
        CompilerThread.concurrentPerform(iterations: 0) { tally.record($0) }
        XCTAssertEqual(tally.counts, [:])
    }

    /// More callers than compiler threads, each nesting a call in its iterations: the nested
    /// calls run on the thread they are made on, and every caller finishes.
    func testConcurrentAndNestedCallersFinish() {
        let tally = Tally()
        DispatchQueue.concurrentPerform(iterations: 6) { caller in
            CompilerThread.concurrentPerform(iterations: 5) { outer in
                CompilerThread.concurrentPerform(iterations: 3) { inner in
                    tally.record(caller * 100 + outer * 10 + inner, result: try? CELEnvironment().compile("[\(inner), 1].size()").evaluate([:]).intValue)
                }
            }
        }
        let expected = (0..<6).flatMap { caller in (0..<5).flatMap { outer in (0..<3).map { caller * 100 + outer * 10 + $0 } } }
        XCTAssertEqual(tally.counts, Dictionary(uniqueKeysWithValues: expected.map { ($0, 1) }))
        XCTAssertEqual(tally.values, Dictionary(uniqueKeysWithValues: expected.map { ($0, 2) }))
        XCTAssertTrue(tally.allOnCompilerThreads)
    }
}
