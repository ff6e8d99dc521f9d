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
        // The pods are in default: that rule's finding is about the namespace, at its first workload.
        return findings.compactMap { finding in
            guard finding["ruleId"] as? String != "workloads-in-tenant-namespaces",
                  let location = finding["location"] as? [String: Any] else { return nil }
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
            let json = "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"j\", \"annotations\": {\"a\": \"x\(separator)y\"}},\n"
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

    /// The exceptions file, where `exception-stale` points, is an artifact of the SARIF run with
    /// its hash, as the manifests are, and the finding's location names it by index.
    func testTheExceptionsFileIsASARIFArtifact() throws {
        let folder = try temporaryFolder(self)
        try Data("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\n".utf8).write(to: folder.appendingPathComponent("cm.yaml"))
        try Data("""
            exceptions:
              - rule: every-object-passes
                match: {kind: Pod, name: gone}
                justification: none left
                owner: me
                expires: "2099-01-01"

            """.utf8).write(to: folder.appendingPathComponent("ex.yaml"))
        let result = try airlock(
            ["check", "cm.yaml", "--no-builtin", "--policies", passingPolicy, "--exceptions", "ex.yaml", "--format", "sarif"], directory: folder)
        XCTAssertEqual(result.exitCode, 1, result.stdout + result.stderr)
        let run = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])?["runs"] as? [[String: Any]]).first
        let artifacts = try XCTUnwrap(run?["artifacts"] as? [[String: Any]])
        XCTAssertEqual(artifacts.map { ($0["location"] as? [String: Any])?["uri"] as? String }, ["cm.yaml", "ex.yaml"])
        XCTAssertEqual(
            artifacts.map { ($0["hashes"] as? [String: String])?["sha-256"] },
            ["f1e96be07a2fa3f706dd0ea37e632687cc5bd97199a99bf6c9685b8473878160", "cb6f60e59fd5a22b6497ef0735b681819a10df26c8c07f15dcf0a0fb66ec3f09"])
        let results = try XCTUnwrap(run?["results"] as? [[String: Any]])
        XCTAssertEqual(results.map { $0["ruleId"] as? String }, ["exception-stale"])
        let location = (results.first?["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
        let artifactLocation = try XCTUnwrap(location?["artifactLocation"] as? [String: Any])
        XCTAssertEqual(artifactLocation["uri"] as? String, "ex.yaml")
        XCTAssertEqual(artifactLocation["index"] as? Int, 1)
    }

    /// A file whose name is not UTF-8 has a SARIF URI of its bytes, percent-encoded, which
    /// resolves to it: `caf%E9.yaml`, not the escaped name shown in other reports
    /// (`caf%5CxE9.yaml`, a file that does not exist); a `\` of such a name is its byte too.
    func testASARIFURIOfAFileNameThatIsNotUTF8IsItsBytes() throws {
        let folder = try temporaryFolder(self)
        for (index, name) in [Array("caf".utf8) + [0xE9] + Array(".yaml".utf8), Array("a\\b".utf8) + [0xFF] + Array(".yaml".utf8)].enumerated() {
            let content = Array("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: x\(index)}\n".utf8)
            let path = Array(folder.path.utf8) + [UInt8(ascii: "/")] + name
            let descriptor = (path.map(CChar.init(bitPattern:)) + [0]).withUnsafeBufferPointer { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) }
            XCTAssertGreaterThanOrEqual(descriptor, 0)
            XCTAssertEqual(content.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }, content.count)
            close(descriptor)
        }
        let result = try airlock(["check", ".", "--format", "sarif", "--output", "json=report.json"], directory: folder)
        XCTAssertEqual(result.exitCode, 1, result.stdout + result.stderr)
        let run = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])?["runs"] as? [[String: Any]]).first
        let artifacts = try XCTUnwrap(run?["artifacts"] as? [[String: Any]])
        XCTAssertEqual(artifacts.map { ($0["location"] as? [String: Any])?["uri"] as? String }, ["a%5Cb%FF.yaml", "caf%E9.yaml"])
        let results = try XCTUnwrap(run?["results"] as? [[String: Any]])
        let uris = results.map { result -> String? in
            let location = (result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
            return (location?["artifactLocation"] as? [String: Any])?["uri"] as? String
        }
        XCTAssertEqual(uris, ["a%5Cb%FF.yaml", "caf%E9.yaml"])
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("report.json"))) as? [String: Any])
        XCTAssertEqual((report["artifacts"] as? [[String: Any]])?.map { $0["path"] as? String }, ["a\\x5Cb\\xFF.yaml", "caf\\xE9.yaml"])
    }

    /// An empty values file (or `~`, or only a comment) is where values findings point, in every
    /// format: they named file "".
    func testFindingsOnEmptyValuesNameTheValuesFile() throws {
        let folder = try temporaryFolder(self)
        try Data("apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\nspec: {containers: [{name: w, image: \"registry.local:5000/a:1.0\"}]}\n".utf8)
            .write(to: folder.appendingPathComponent("ok.yaml"))
        for (index, text) in ["", "~\n", "# later\n"].enumerated() {
            let values = "values-\(index).yaml"
            try Data(text.utf8).write(to: folder.appendingPathComponent(values))
            let arguments = ["check", "--tier", "edge", "ok.yaml", "--values", values,
                             "--output", "sarif=r.sarif", "--output", "gitlab=r.gl.json", "--output", "github=r.gh"]
            XCTAssertFalse(try jsonLocations(["ok.yaml", "--values", values], directory: folder).isEmpty)
            for location in try jsonLocations(["ok.yaml", "--values", values], directory: folder) {
                XCTAssertEqual(location, "\(values):1:1")
            }
            XCTAssertEqual(try airlock(arguments, directory: folder).exitCode, 1)
            let sarif = try String(contentsOf: folder.appendingPathComponent("r.sarif"), encoding: .utf8)
            XCTAssertTrue(sarif.contains("\"uri\" : \"\(values)\""), sarif)
            XCTAssertFalse(sarif.contains("\"uri\" : \"\""), sarif)
            let gitlab = try String(contentsOf: folder.appendingPathComponent("r.gl.json"), encoding: .utf8)
            XCTAssertTrue(gitlab.contains("\"path\" : \"\(values)\""), gitlab)
            let github = try String(contentsOf: folder.appendingPathComponent("r.gh"), encoding: .utf8)
            XCTAssertTrue(github.contains("file=\(values),line=1,col=1"), github)
        }
    }

    /// `--root` applies to relative inputs too: they were written as given.
    /// The text report shows lines of what the run read only: a package's link to a file outside
    /// it (never followed by the run) is not printed under its finding, while a file of the
    /// package, and a linked file inside it, are.
    func testExcerptsNeverFollowALinkOutOfAnInput() throws {
        let folder = try temporaryFolder(self)
        let package = folder.appendingPathComponent("customer-service")
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("testdata/bundles/package-good/customer-service"), to: package)
        let secret = folder.appendingPathComponent("secret.txt")
        try Data("TOKEN=do-not-print\n".utf8).write(to: secret)
        try FileManager.default.createSymbolicLink(atPath: package.appendingPathComponent("agents/extra.md").path, withDestinationPath: secret.path)
        try Data("an unlisted file\n".utf8).write(to: package.appendingPathComponent("agents/inside.md"))
        try FileManager.default.createSymbolicLink(atPath: package.appendingPathComponent("agents/alias.md").path, withDestinationPath: "inside.md")
        let result = try airlock(["gate", "pre-publish", "customer-service"], directory: folder)
        XCTAssertTrue(result.stdout.contains("agents/extra.md is in the package but not listed in package.yaml"), result.stdout)
        XCTAssertFalse(result.stdout.contains("do-not-print"), result.stdout)
        XCTAssertTrue(result.stdout.contains("1 | an unlisted file"), result.stdout)
    }

    func testRootAppliesToRelativeInputs() throws {
        let folder = try temporaryFolder(self)
        let deploy = folder.appendingPathComponent("repo/deploy")
        let work = folder.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: deploy, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try Data("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: w, image: docker.io/x:latest}]}\n".utf8)
            .write(to: deploy.appendingPathComponent("pod.yaml"))
        for input in ["../repo/deploy/pod.yaml", deploy.appendingPathComponent("pod.yaml").path] {
            let locations = try jsonLocations(["--root", "../repo", input], directory: work)
            XCTAssertFalse(locations.isEmpty)
            XCTAssertEqual(Set(locations.map { $0.split(separator: ":")[0] }), ["deploy/pod.yaml"], input)
        }
        // The text report reads its source lines from under the root too.
        let text = try airlock(["check", "--root", "../repo", "../repo/deploy/pod.yaml"], directory: work)
        XCTAssertTrue(text.stdout.contains("4 | spec: {containers: [{name: w, image: docker.io/x:latest}]}"), text.stdout)
    }
}

