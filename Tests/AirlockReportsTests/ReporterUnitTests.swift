import AirlockCore
@testable import AirlockReports
import Foundation
import XCTest

final class ReporterUnitTests: XCTestCase {
    func testFactoryCoversEveryFormat() throws {
        // GitHub workflow commands for a clean run are legitimately empty.
        for format in ReportFormat.allCases where format != .github {
            XCTAssertFalse(try format.makeReporter().render(Fixture.emptyResult, context: Fixture.context).isEmpty, "\(format)")
        }
        XCTAssertEqual(ReportFormat(rawValue: "sarif"), .sarif)
    }

    func testSourceDateEpoch() throws {
        let now = Date(timeIntervalSince1970: 42)
        XCTAssertEqual(try ReportContext.resolveTimestamp(environment: [:], runStart: now), now)
        XCTAssertEqual(
            try ReportContext.resolveTimestamp(environment: ["SOURCE_DATE_EPOCH": "1700000000"], runStart: now),
            Date(timeIntervalSince1970: 1_700_000_000))
        for bad in ["", "-1", "1.5", "soon"] {
            XCTAssertThrowsError(try ReportContext.resolveTimestamp(environment: ["SOURCE_DATE_EPOCH": bad], runStart: now))
        }
        XCTAssertEqual(JUnitReporter.timestamp(Date(timeIntervalSince1970: 1_700_000_000)), "2023-11-14T22:13:20")
        XCTAssertEqual(JUnitReporter.timestamp(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00")
    }

    func testGitHubEscaping() {
        XCTAssertEqual(GitHubReporter.escapeData("100% a\r\nb: c, d"), "100%25 a%0D%0Ab: c, d")
        XCTAssertEqual(GitHubReporter.escapeProperty("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae")
        let command = GitHubReporter.command(
            "error", location: SourceSpan(file: "dir,x/a:b.yaml", line: 3, column: 4, endLine: 3, endColumn: 9),
            title: "rule.id", message: "m")
        XCTAssertEqual(command, "::error file=dir%2Cx/a%3Ab.yaml,line=3,col=4,endLine=3,endColumn=9,title=rule.id::m")
    }

    func testSanitizers() {
        XCTAssertEqual(TextSanitizer.xml("a\u{1}b\tc\nd\u{FFFF}"), "a\\u{1}b\tc\nd\\u{FFFF}")
        XCTAssertEqual(TextSanitizer.terminal("a\u{1B}[31mb\nc\td"), "a\\u{1B}[31mb\\u{A}c\td")
        XCTAssertEqual(TextSanitizer.xml("plain ünïcödé 検索"), "plain ünïcödé 検索")
    }

    func testCaretIsMultibyteAndWidthAware() {
        let wide = SourceExcerpt(line: "名前: „x“", column: 5)
        XCTAssertEqual(wide.caretPrefix, "      ")
        let tabbed = SourceExcerpt(line: "\tkey: é", column: 7)
        XCTAssertEqual(tabbed.caretPrefix, "\t     ")
        let combining = SourceExcerpt(line: "e\u{301}x", column: 3)
        XCTAssertEqual(combining.caretPrefix, " ")
        let pastEnd = SourceExcerpt(line: "ab", column: 5)
        XCTAssertEqual(pastEnd.caretPrefix, "    ")
    }

    func testLevelsAndSeverities() {
        XCTAssertEqual(Severity.allCases.map(SARIFReporter.level), ["note", "note", "warning", "error", "error"])
        XCTAssertEqual(Severity.allCases.map(SARIFReporter.securitySeverity), [nil, "3.0", "5.5", "8.0", "9.5"])
        XCTAssertEqual(Severity.allCases.map(GitHubReporter.level), ["notice", "notice", "warning", "error", "error"])
        XCTAssertEqual(Severity.allCases.map(GitLabReporter.severity), ["info", "minor", "major", "critical", "blocker"])
        XCTAssertEqual(SARIFReporter.ruleName("classification.cross-level"), "ClassificationCrossLevel")
    }

    func testTextSummaryLine() throws {
        let text = try TextReporter().render(Fixture.resultWithoutDiagnostics, context: Fixture.context)
        XCTAssertTrue(text.contains("\n5 findings (1 critical, 1 high, 1 medium, 2 low) in 2 files; 2 suppressed; 0 errors; 1 rule not run\n"), text)
        XCTAssertTrue(
            text.contains("airlock: note: rule airgap.no-ingress did not run: it applies only at tier edge, and no deployment tier was given\n"),
            text)
        XCTAssertTrue(text.hasSuffix("result: failed: findings at or above low (exit 1)\n"), text)
        XCTAssertFalse(text.contains("\u{1B}["), "no ANSI codes without colour")
    }

    func testJSONReportShape() throws {
        let report = try JSONValue.parse(try JSONReporter().render(Fixture.result, context: Fixture.context))
        XCTAssertEqual(report["schemaVersion"], .string("1"))
        XCTAssertEqual(report["summary"]?["exitCode"], .number(2))
        XCTAssertEqual(report["summary"]?["passed"], .bool(false))
        XCTAssertEqual(report["summary"]?["suppressed"], .number(2))
        XCTAssertEqual(report["summary"]?["errors"], .number(3))
        XCTAssertEqual(report["summary"]?["bySeverity"]?["info"], .number(0))
        guard case .array(let findings)? = report["findings"], case .array(let rules)? = report["rules"] else {
            return XCTFail("findings and rules must be arrays")
        }
        XCTAssertEqual(findings.count, Fixture.findings.count)
        XCTAssertEqual(rules.count, Fixture.rules.count)
        XCTAssertEqual(report["summary"]?["rulesNotRun"], .number(1))
        let notRun = rules.filter { $0["notRun"] != nil }
        XCTAssertEqual(notRun.map { $0["id"] }, [.string("airgap.no-ingress")])
        XCTAssertEqual(notRun.first?["evaluated"], .number(0))
        // Optional fields are omitted, never null.
        XCTAssertFalse(try JSONReporter().render(Fixture.result, context: Fixture.context).contains("null"))
    }
}
