import Foundation
import XCTest

/// docs/policies.md is written by hand: each built-in rule's entry must say the rule's title,
/// description, remediation and severity as its YAML does (what `policy explain` and the reports' rule help show).
final class PolicyDocsTests: XCTestCase {
    func testEveryRulesEntrySaysItsTitleDescriptionRemediationAndSeverity() throws {
        let docs = try String(contentsOf: packageRoot.appendingPathComponent("docs/policies.md"), encoding: .utf8)
        let result = try airlock(["check", "--allow-empty", "--tier", "edge", "--format", "json", "-"], input: "")
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let rules = try XCTUnwrap(report["rules"] as? [[String: Any]])
        XCTAssertGreaterThan(rules.count, 60)
        for rule in rules {
            let id = try XCTUnwrap(rule["id"] as? String)
            guard let start = docs.range(of: "\n### \(id)\n") else {
                XCTFail("docs/policies.md has no entry for \(id)")
                continue
            }
            let rest = docs[start.upperBound...]
            let section = String(rest[..<(rest.range(of: "\n### ")?.lowerBound ?? rest.endIndex)])
            let severity = try XCTUnwrap(rule["severity"] as? String)
            XCTAssertTrue(section.contains("; severity: **\(severity)**;") || section.contains("; severity: **\(severity)** ("),
                          "\(id): the entry's header does not say severity \(severity)")
            let paragraph = "\n**\(try XCTUnwrap(rule["title"] as? String)).** \(try XCTUnwrap(rule["description"] as? String))\n"
            XCTAssertTrue(section.contains(paragraph), "\(id): the entry's paragraph is not the rule's title and description")
            let remediation = "\nRemediation: \(try XCTUnwrap(rule["remediation"] as? String))\n"
            XCTAssertTrue(section.contains(remediation), "\(id): the entry's remediation is not the rule's")
        }
    }
}
