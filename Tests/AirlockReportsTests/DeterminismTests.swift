import AirlockCore
import AirlockReports
import Foundation
import XCTest

/// Same result, same bytes; input order and unrelated line moves change nothing they should not.
final class DeterminismTests: XCTestCase {
    func testWritingTwiceGivesIdenticalBytes() throws {
        for format in ReportFormat.allCases {
            for (name, result) in Fixture.allResults {
                let reporter = format.makeReporter()
                let first = try reporter.render(result, context: Fixture.context)
                let second = try reporter.render(result, context: Fixture.context)
                XCTAssertEqual(first, second, "\(format) output for \(name) differs between two writes")
            }
        }
    }

    func testInputOrderDoesNotMatter() throws {
        var shuffled = Fixture.result
        shuffled.findings.reverse()
        shuffled.diagnostics.reverse()
        shuffled.rules.reverse()
        shuffled.rules = shuffled.rules.map { run in
            var reversed = run
            reversed.evaluated = EvaluatedObjects(run.evaluated.reversed())
            return reversed
        }
        shuffled.artifacts.reverse()
        for format in ReportFormat.allCases {
            let reporter = format.makeReporter()
            XCTAssertEqual(
                try reporter.render(shuffled, context: Fixture.context),
                try reporter.render(Fixture.result, context: Fixture.context), "\(format) depends on input order")
        }
    }

    func testFingerprintsIgnoreLineMoves() throws {
        var moved = Fixture.result
        moved.findings = moved.findings.map { finding in
            var copy = finding
            if var span = copy.location {
                span.line += 7
                span.endLine = span.endLine.map { $0 + 7 }
                span.column += 2
                copy.location = span
            }
            return copy
        }
        XCTAssertEqual(try fingerprints(SARIFReporter(), moved), try fingerprints(SARIFReporter(), Fixture.result))
        XCTAssertEqual(try gitlabFingerprints(moved), try gitlabFingerprints(Fixture.result))
    }

    func testFingerprintsChangeWithTheProblem() {
        let base = Fixture.findings[0]
        var otherMessage = base
        otherMessage.message += "!"
        var otherResource = base
        otherResource.resource?.name = "api-2"
        var otherRule = base
        otherRule.ruleID = "registry.other"
        let prints = Set([base, otherMessage, otherResource, otherRule].map(Fingerprint.base(of:)))
        XCTAssertEqual(prints.count, 4)
    }

    /// A finding of no object (the values, a bundle, the inventory) is known by rule and message:
    /// a renamed export, or inputs in another order, keep its fingerprint.
    func testFingerprintOfAFindingWithoutResourceLeavesTheFileOut() {
        var finding = Fixture.findings[0]
        finding.resource = nil
        finding.controller = nil
        var elsewhere = finding
        elsewhere.location?.file = "export-tuesday.yaml"
        XCTAssertEqual(Fingerprint.base(of: finding), Fingerprint.base(of: elsewhere))
        var otherMessage = finding
        otherMessage.message += "!"
        XCTAssertNotEqual(Fingerprint.base(of: finding), Fingerprint.base(of: otherMessage))
    }

    func testIdenticalFindingsGetDistinctFingerprints() {
        let finding = Fixture.findings[0]
        var later = finding
        later.location?.line += 100
        let prints = Fingerprint.occurrences(of: [finding, later])
        XCTAssertEqual(prints.count, Set(prints).count)
        XCTAssertTrue(prints[0].hasSuffix(":1"))
        XCTAssertTrue(prints[1].hasSuffix(":2"))
    }

    /// SARIF partialFingerprints keyed by rule id and resource, in report order.
    private func fingerprints(_ reporter: SARIFReporter, _ result: CheckResult) throws -> [String: String] {
        let log = try JSONValue.parse(try reporter.render(result, context: Fixture.context))
        guard case .array(let runs)? = log["runs"], case .array(let results)? = runs.first?["results"] else { return [:] }
        var map: [String: String] = [:]
        for item in results {
            guard case .string(let print)? = item["partialFingerprints"]?[Fingerprint.sarifKey],
                  case .string(let message)? = item["message"]?["text"] else { continue }
            map[message] = print
        }
        XCTAssertEqual(map.count, Fixture.findings.count)
        return map
    }

    private func gitlabFingerprints(_ result: CheckResult) throws -> Set<String> {
        guard case .array(let issues) = try JSONValue.parse(try GitLabReporter().render(result, context: Fixture.context)) else { return [] }
        return Set(issues.compactMap { if case .string(let print)? = $0["fingerprint"] { return print } else { return nil } })
    }
}
