import Foundation
import XCTest

/// Errors written to standard error quote file names and text from the inputs: their control
/// characters must reach the terminal escaped.
final class StandardErrorTests: XCTestCase {
    func testErrorsEscapeControlCharactersOfFileNames() throws {
        let folder = try temporaryFolder(self)
        try Data("a: [\n".utf8).write(to: folder.appendingPathComponent("bad\u{1B}[31mred.yaml"))
        let result = try airlock(["inventory", "."], directory: folder)
        XCTAssertEqual(result.exitCode, 2)
        XCTAssertFalse(result.stderr.contains("\u{1B}"), result.stderr)
        XCTAssertTrue(result.stderr.contains("bad\\u{1B}[31mred.yaml:2:1"), result.stderr)
    }
}
