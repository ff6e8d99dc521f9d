@testable import AirlockCore
import XCTest

final class BackgroundTaskTests: XCTestCase {
    /// The result is the body's, read as often as asked, and the body runs off the
    /// caller's thread (the main thread, for XCTest).
    func testValueIsTheBodysResultReadAnyNumberOfTimes() {
        let task = BackgroundTask { (sum: (1...1_000).reduce(0, +), onMainThread: Thread.isMainThread) }
        XCTAssertEqual(task.value.sum, 500_500)
        XCTAssertEqual(task.value.sum, 500_500)
        XCTAssertFalse(task.value.onMainThread)
    }
}
