import Foundation
import XCTest

/// Messages quoting an input value of any length stay bounded (`MessageLength`), in every format.
final class LongMessageTests: XCTestCase {
    private func messages(_ json: String, _ key: String) throws -> [String] {
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return (report[key] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
    }

    /// An image name of 1 MiB made one 1 MiB line per rule that quoted it, in every report.
    func testAOneMegabyteImageNameIsCutInEveryMessage() throws {
        let folder = try temporaryFolder(self)
        let image = "registry.local:5000/" + String(repeating: "a", count: 1 << 20) + ":1.0"
        let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: team-alpha}\nspec:\n  containers:\n  - name: c\n    image: \(image)\n"
        try Data(pod.utf8).write(to: folder.appendingPathComponent("pod.yaml"))
        let json = try airlock(["check", "--root", folder.path, folder.appendingPathComponent("pod.yaml").path, "--format", "json"])
        XCTAssertEqual(json.exitCode, 1, json.stderr)
        // "image IMAGE is not pinned: ..." is 1,048,655 bytes: its first 1,536 and last 256 are kept.
        let pinned = "image registry.local:5000/" + String(repeating: "a", count: 1536 - 26) + "…(1046863 bytes left out)…"
            + String(repeating: "a", count: 256 - 53) + ":1.0 is not pinned: it is not a valid image reference"
        XCTAssertTrue(try messages(json.stdout, "findings").contains(pinned), json.stdout)
        for format in ["text", "json", "sarif", "junit", "github", "gitlab"] {
            let result = try airlock(["check", "--root", folder.path, folder.appendingPathComponent("pod.yaml").path, "--format", format])
            XCTAssertEqual(result.exitCode, 1, format + ": " + result.stderr)
            // The longest lines are the rules' own descriptions (JSON, SARIF), about 7,500 bytes:
            // far from the 1 MiB the image name would make.
            XCTAssertLessThan(result.stdout.split(separator: "\n").map(\.utf8.count).max() ?? 0, 16_000, format)
            XCTAssertLessThan(result.stdout.utf8.count, 300_000, format)
        }
    }

    /// Checks `manifest` at the edge tier in every format, each of which must exit 1 with no line
    /// near the size of a long value of it, and returns `field` of each finding of the JSON report.
    private func findingFields(_ field: String, checking manifest: String) throws -> [Any] {
        let folder = try temporaryFolder(self)
        try Data(manifest.utf8).write(to: folder.appendingPathComponent("in.yaml"))
        var json = ""
        for format in ["text", "json", "sarif", "junit", "github", "gitlab"] {
            let result = try airlock(["check", "--tier", "edge", "--root", folder.path, folder.appendingPathComponent("in.yaml").path, "--format", format])
            XCTAssertEqual(result.exitCode, 1, format + ": " + result.stderr)
            XCTAssertLessThan(result.stdout.split(separator: "\n").map(\.utf8.count).max() ?? 0, 16_000, format)
            XCTAssertLessThan(result.stdout.utf8.count, 300_000, format)
            if format == "json" { json = result.stdout }
        }
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return (report["findings"] as? [[String: Any]] ?? []).compactMap { $0[field] }
    }

    private let pinnedPodSpec = "spec:\n  hostNetwork: true\n  containers:\n  - {name: c, image: 'registry.local:5000/app@sha256:\(String(repeating: "0", count: 64))'}\n"

    /// A 1 MiB name and namespace made every finding of the object two 1 MiB lines (its
    /// resource's fields and qualified name), and every JUnit test case it passed one.
    func testAOneMegabyteNameAndNamespaceAreCutInEveryReport() throws {
        let long = String(repeating: "a", count: 1 << 20)
        let resources = try findingFields("resource", checking: "apiVersion: v1\nkind: Pod\nmetadata: {name: n\(long), namespace: s\(long)}\n" + pinnedPodSpec)
        // 1,048,577 bytes each: the first 384 and the last 64 are kept.
        let cut = { (first: String) in first + String(repeating: "a", count: 383) + "…(1048129 bytes left out)…" + String(repeating: "a", count: 64) }
        XCTAssertEqual(Set(resources.compactMap { $0 as? [String: String] }.map { "\($0["namespace"] ?? "")/\($0["name"] ?? "")" }),
                       [cut("s") + "/" + cut("n")])
    }

    /// A 1 MiB `# Source:` comment was repeated in each finding of its document, in the text,
    /// JSON and SARIF reports (three times in SARIF: 10 MB for three findings).
    func testAOneMegabyteHelmSourceCommentIsCut() throws {
        let template = "chart/templates/" + String(repeating: "t", count: 1 << 20) + ".yaml"
        let sources = try findingFields("helmSource", checking: "---\n# Source: \(template)\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: team-alpha}\n" + pinnedPodSpec)
        // 1,048,597 bytes: the first 1,536 and the last 256 are kept.
        XCTAssertEqual(Set(sources.compactMap { $0 as? String }), ["chart/templates/" + String(repeating: "t", count: 1520) + "…(1046805 bytes left out)…"
            + String(repeating: "t", count: 251) + ".yaml"])
    }

    /// An invalid regex taken from an input repeated the whole pattern in its error.
    func testAnInvalidRegexFromAnInputIsCutInItsError() throws {
        let folder = try temporaryFolder(self)
        let policy = """
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: pattern-from-input}
            spec:
              category: general
              severity: low
              title: A pattern an input gives
              description: Matches the ConfigMap's name against the pattern its data gives.
              remediation: none
              match: {kinds: [ConfigMap]}
              validations:
              - {expression: object.metadata.name.matches(object.data.pattern), message: no match}

            """
        try Data(policy.utf8).write(to: folder.appendingPathComponent("policy.yaml"))
        let configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: team-a}\ndata:\n  pattern: \"(\(String(repeating: "a", count: 204_800))\"\n"
        try Data(configMap.utf8).write(to: folder.appendingPathComponent("cm.yaml"))
        let result = try airlock(["check", "--root", folder.path, "--no-builtin", "--policies", folder.appendingPathComponent("policy.yaml").path,
                                  folder.appendingPathComponent("cm.yaml").path, "--format", "json"])
        XCTAssertEqual(result.exitCode, 2, result.stderr)
        let prefix = "pattern-from-input: validations[0]: invalid regex '("
        let suffix = "': missing closing parenthesis at offset 204801"
        XCTAssertEqual(try messages(result.stdout, "diagnostics"), [
            prefix + String(repeating: "a", count: 1536 - prefix.utf8.count) + "…(203107 bytes left out)…"
                + String(repeating: "a", count: 256 - suffix.utf8.count) + suffix,
        ])
    }
}
