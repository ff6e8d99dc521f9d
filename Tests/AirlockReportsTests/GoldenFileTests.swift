import AirlockCore
import AirlockReports
import Foundation
import XCTest

/// Every format's output for the fixture, compared byte for byte with Golden/<name>.
/// Golden files change only when AIRLOCK_RECORD_GOLDEN=1 is set; a mismatch never overwrites.
final class GoldenFileTests: XCTestCase {
    func testText() throws { try assertGolden(TextReporter(), "text.txt") }
    func testTextColour() throws {
        var context = Fixture.context
        context.colour = true
        try assertGolden(TextReporter(), "text-colour.txt", context: context)
    }
    func testTextWithoutSources() throws {
        var context = Fixture.context
        context.sourceLines = nil
        try assertGolden(TextReporter(), "text-no-sources.txt", context: context)
    }
    func testJSON() throws { try assertGolden(JSONReporter(), "report.json") }
    func testSARIF() throws { try assertGolden(SARIFReporter(), "report.sarif") }
    func testJUnit() throws { try assertGolden(JUnitReporter(), "junit.xml") }
    func testJUnitRootAttributes() throws { try assertGolden(JUnitReporter(rootAttributes: true), "junit-root-attributes.xml") }
    func testGitHub() throws { try assertGolden(GitHubReporter(), "github.log") }
    func testGitLab() throws { try assertGolden(GitLabReporter(), "gitlab.json") }

    private func assertGolden(
        _ reporter: some Reporter, _ name: String, context: ReportContext = Fixture.context,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let actual = try reporter.render(Fixture.result, context: context)
        let url = Fixture.packageRoot.appendingPathComponent("Tests/AirlockReportsTests/Golden/\(name)")
        let recording = ProcessInfo.processInfo.environment["AIRLOCK_RECORD_GOLDEN"] == "1"
        let expected = try? Data(contentsOf: url)

        if recording {
            if expected != Data(actual.utf8) {
                try Data(actual.utf8).write(to: url)
                print("recorded \(url.path)")
            }
            return
        }
        guard let expected else {
            XCTFail("missing golden file \(url.path); run with AIRLOCK_RECORD_GOLDEN=1 to record it", file: file, line: line)
            return
        }
        guard expected != Data(actual.utf8) else { return }

        let actualURL = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-golden-actual-\(name)")
        try? Data(actual.utf8).write(to: actualURL)
        let expectedLines = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let firstDifference = zip(expectedLines, actualLines).enumerated().first { $1.0 != $1.1 }?.offset
            ?? min(expectedLines.count, actualLines.count)
        let expectedLine = firstDifference < expectedLines.count ? String(expectedLines[firstDifference]) : "<end of file>"
        let actualLine = firstDifference < actualLines.count ? String(actualLines[firstDifference]) : "<end of file>"
        XCTFail("""
            \(name) differs from its golden file at line \(firstDifference + 1):
              expected: \(expectedLine.debugDescription)
              actual:   \(actualLine.debugDescription)
            See: diff \(url.path) \(actualURL.path)
            If the change is intended, re-record with AIRLOCK_RECORD_GOLDEN=1 swift test --filter AirlockReportsTests
            """, file: file, line: line)
    }
}
