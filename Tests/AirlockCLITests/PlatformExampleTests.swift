import Foundation
import XCTest

/// The example platform end to end: the compliant version passes the deploy gate with zero
/// findings; the violations version gives exactly the findings listed beside it.
final class PlatformExampleTests: XCTestCase {
    private let values = ["--values", "testdata/platform/values/values-tier1-edge.yaml", "--values", "testdata/platform/values/values-tenants.yaml"]

    func testCompliantPlatformPasses() throws {
        let result = try airlock(["gate", "pre-deploy", "testdata/platform/compliant"] + values)
        XCTAssertEqual(result.exitCode, 0, result.stdout)
        XCTAssertTrue(result.stdout.contains("0 findings"), result.stdout)
    }

    func testViolationsGiveExactlyTheExpectedFindings() throws {
        let result = try airlock(["gate", "pre-deploy", "testdata/platform/violations", "--format", "json"] + values)
        XCTAssertEqual(result.exitCode, 1, result.stderr)
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let findings = try XCTUnwrap(report?["findings"] as? [[String: Any]])
        let actual = findings.map { finding -> String in
            let location = finding["location"] as? [String: Any]
            let file = (location?["file"] as? String ?? "").replacingOccurrences(of: "testdata/platform/violations/", with: "")
            return "\(finding["ruleId"] as? String ?? "") \(file):\(location?["line"] as? Int ?? 0)"
        }.sorted()
        let expectedText = try String(contentsOf: packageRoot.appendingPathComponent("testdata/platform/violations/expected-findings.txt"), encoding: .utf8)
        let expected = expectedText.split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("#") }.sorted()
        XCTAssertEqual(actual, expected)
    }

    func testBuiltinPackIsEmbeddedFromPolicies() throws {
        let script = packageRoot.appendingPathComponent("scripts/embed-policies").path
        let generated = packageRoot.appendingPathComponent("Sources/AirlockCore/Policy/BuiltinPack.swift")
        let before = try String(contentsOf: generated, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--check"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "BuiltinPack.swift is stale: run scripts/embed-policies. " + String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        XCTAssertEqual(try String(contentsOf: generated, encoding: .utf8), before, "--check must not rewrite the file")
    }
}
