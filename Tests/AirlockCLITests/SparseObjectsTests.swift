import Foundation
import XCTest

/// Objects whose optional parents are missing or null (a Service without spec, `spec:` as Helm
/// renders an empty block, a Namespace without labels, a RoleBinding without subjects or roleRef)
/// and null list items: every rule of the built-in pack evaluates them, at every tier and with
/// values of null sections, without an evaluation error; what a rule requires and does not find
/// is a finding.
final class SparseObjectsTests: XCTestCase {
    func testTheBuiltinPackEvaluatesSparseObjectsWithoutErrors() throws {
        for tier in ["edge", "datacenter", "connected"] {
            for values in [[], ["--values", "testdata/sparse/values-nulls.yaml"]] {
                let run = "--tier \(tier) \(values.joined(separator: " "))"
                let result = try airlock(["check", "testdata/sparse/objects.yaml", "--tier", tier, "--format", "json"] + values)
                XCTAssertEqual(result.exitCode, 1, "\(run): \(result.stderr)")
                let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
                let diagnostics = try XCTUnwrap(report?["diagnostics"] as? [[String: Any]], run)
                XCTAssertEqual(diagnostics.map { "\($0["ruleId"] ?? "-"): \($0["message"] ?? "")" }, [], run)
                let findings = try XCTUnwrap(report?["findings"] as? [[String: Any]], run)
                XCTAssertFalse(findings.isEmpty, run)
            }
        }
    }
}
