import XCTest
@testable import CEL

final class RecentResultsTests: XCTestCase {
    /// Counts the calls of the function it stands for.
    private final class CountingFunction: @unchecked Sendable {
        var calls = 0
        func callAsFunction(_ text: String) -> Int {
            calls += 1
            return text.utf8.count
        }
    }

    /// Each rule on an object reads its values again, one rule after the other.
    func testATextReadAgainIsNotComputedAgain() {
        let recent = RecentResults<Int>()
        let length = CountingFunction()
        let texts = (0..<1_000).map { "registry.local:5000/tenant-\($0)/app-\($0 % 3):1.0.0" }
        for text in texts {
            for _ in 0..<3 { XCTAssertEqual(recent.value(of: text, computing: length.callAsFunction), text.utf8.count) }
        }
        XCTAssertEqual(length.calls, 1_000)
        // A few texts read over and over (a cluster's images) stay.
        for _ in 0..<3 {
            for text in (0..<10).map({ "docker.io/platform/app-\($0):1.\($0).0" }) { XCTAssertEqual(recent.value(of: text, computing: length.callAsFunction), text.utf8.count) }
        }
        XCTAssertEqual(length.calls, 1_010)
    }

    /// Canonically equivalent texts (a Kelvin sign and `K`) are different texts to it.
    func testTextsAreComparedByTheirBytes() {
        let recent = RecentResults<String>(slotCount: 2)
        XCTAssertEqual(recent.value(of: "\u{212A}") { "kelvin " + $0 }, "kelvin \u{212A}")
        XCTAssertEqual(recent.value(of: "K") { "letter " + $0 }, "letter K")
        XCTAssertEqual(recent.value(of: "K") { _ in "computed again" }, "letter K")
        XCTAssertEqual(recent.value(of: "\u{212A}") { _ in "computed again" }, "kelvin \u{212A}")
    }

    /// A set of two slots keeps the two texts read most recently; a text longer than the limit is
    /// never kept.
    func testMemoryIsBounded() {
        let recent = RecentResults<Int>(slotCount: 2, maxTextBytes: 8)
        let length = CountingFunction()
        func read(_ texts: String...) { for text in texts { _ = recent.value(of: text, computing: length.callAsFunction) } }
        read("a", "b", "a", "b")
        XCTAssertEqual(length.calls, 2)
        read("c", "b")
        XCTAssertEqual(length.calls, 3, "c takes the place of a, read less recently than b")
        read("a")
        XCTAssertEqual(length.calls, 4)
        read("123456789", "123456789")
        XCTAssertEqual(length.calls, 6)
        read("12345678", "12345678")
        XCTAssertEqual(length.calls, 7)
    }

    func testThreadsShareIt() {
        let recent = RecentResults<Int>(slotCount: 64)
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for round in 0..<2_000 {
                let text = "http://service-\((round + thread) % 40).tenant.svc:8000"
                XCTAssertEqual(recent.value(of: text) { $0.utf8.count }, text.utf8.count)
            }
        }
    }
}
