import Foundation
import XCTest

/// Where reports say findings are, end to end: the line and the file every format names.
final class ReportLocationTests: XCTestCase {
    /// The `location` of each finding of the JSON report, as `file:line:column`.
    private func jsonLocations(_ arguments: [String], directory: URL) throws -> [String] {
        let result = try airlock(["check", "--tier", "edge", "--format", "json"] + arguments, directory: directory)
        XCTAssertEqual(result.exitCode, 1, result.stdout + result.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let findings = try XCTUnwrap(report["findings"] as? [[String: Any]])
        return findings.compactMap { finding in
            guard let location = finding["location"] as? [String: Any] else { return nil }
            return "\(location["file"] ?? ""):\(location["line"] ?? ""):\(location["column"] ?? "")"
        }
    }

    /// NEL, LS, PS and a lone CR in a value are characters of its line, as SARIF's default
    /// newlineSequences and GitHub count them, though YAML 1.1 (libyaml) ends a line there.
    func testUnicodeLineSeparatorsInValuesDoNotMoveLaterFindings() throws {
        let folder = try temporaryFolder(self)
        for (index, separator) in ["\u{85}", "\u{2028}", "\u{2029}", "\r"].enumerated() {
            let yaml = """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: p
                  annotations: {a: "x\(separator)y", b: 'x\(separator)y', c: x\(separator) y}
                  labels:
                    d: |
                      x\(separator)      y
                spec:
                  containers:
                    - name: web
                      image: docker.io/library/nginx:latest

                """
            let json = "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"p\", \"annotations\": {\"a\": \"x\(separator)y\"}},\n"
                + " \"spec\": {\"containers\": [{\"name\": \"w\",\n  \"image\": \"docker.io/x:latest\"}]}}\n"
            try Data(yaml.utf8).write(to: folder.appendingPathComponent("p\(index).yaml"))
            try Data(json.utf8).write(to: folder.appendingPathComponent("p\(index).json"))
            let locations = try jsonLocations(["p\(index).yaml", "p\(index).json"], directory: folder)
            XCTAssertFalse(locations.isEmpty)
            for location in locations {
                XCTAssertTrue(
                    location.hasSuffix(location.hasPrefix("p\(index).yaml") ? ":12:14" : ":3:12"),
                    "\(separator.unicodeScalars.first!.value): \(locations)")
            }
        }
    }
}
