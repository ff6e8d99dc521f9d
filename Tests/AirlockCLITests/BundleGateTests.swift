import AirlockCore
import Crypto
import Foundation
import XCTest

/// End-to-end runs of `gate pre-publish` and `bundle verify` on packages and bundles built at
/// test time from testdata/bundles.
final class BundleGateTests: XCTestCase {
    private func goodBundle(in folder: URL, extra: [TestArchiveBuilder.Entry] = []) throws -> (path: String, bytes: [UInt8]) {
        let entries = try TestArchiveBuilder.entries(ofFolder: packageRoot.appendingPathComponent("testdata/bundles/airgap-good")) + extra
        let bytes = try TestArchiveBuilder.tar(entries, compression: .gzip)
        let path = folder.appendingPathComponent("airgap-bundle-20250101.tar.gz").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        try Data("\(digest)  airgap-bundle-20250101.tar.gz\n".utf8).write(to: URL(fileURLWithPath: path + ".sha256"))
        return (path, bytes)
    }

    /// testdata/bundles/NAME as a tarball with its sidecar.
    private func bundle(_ name: String, file: String, in folder: URL) throws -> String {
        let bytes = try TestArchiveBuilder.tar(try TestArchiveBuilder.entries(ofFolder: packageRoot.appendingPathComponent("testdata/bundles/" + name)), compression: .gzip)
        let path = folder.appendingPathComponent(file).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        try Data("\(digest)  \(file)\n".utf8).write(to: URL(fileURLWithPath: path + ".sha256"))
        return path
    }

    /// `rule severity file-inside-the-tarball:line:col` of each finding of a JSON report.
    private func findings(_ json: String) throws -> [String] {
        struct Report: Decodable {
            struct Finding: Decodable {
                struct Location: Decodable { var file: String; var line: Int; var column: Int }
                var ruleId: String
                var severity: String
                var location: Location
            }
            var findings: [Finding]
        }
        return try JSONDecoder().decode(Report.self, from: Data(json.utf8)).findings.map {
            "\($0.ruleId) \($0.severity) \($0.location.file.split(separator: "!", maxSplits: 1).last ?? ""):\($0.location.line):\($0.location.column)"
        }
    }

    /// A tarball without its sidecar, or with a signature that does not verify, is reported the
    /// same way, with the same fingerprints, however it is named: by an absolute path, or from
    /// another folder with `--root` (the messages gave the path as typed, so an absolute path was
    /// in every report, and a baseline recorded in another folder knew the findings no more).
    func testTheSidecarAndSignatureAreNamedByTheirFileNames() throws {
        let folder = try temporaryFolder(self)
        let sub = folder.appendingPathComponent("sub")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        let (path, _) = try goodBundle(in: sub)
        try FileManager.default.removeItem(atPath: path + ".sha256")
        try Data("not a signature\n".utf8).write(to: URL(fileURLWithPath: path + ".sig"))
        let key = packageRoot.appendingPathComponent("testdata/bundles/keys/cosign.pub").path
        func findings(_ arguments: [String], in directory: URL) throws -> [String] {
            let result = try airlock(["bundle", "verify", "--key", key, "--format", "json"] + arguments, directory: directory)
            XCTAssertEqual(result.exitCode, 1, result.stdout + result.stderr)
            return result.stdout.split(separator: "\n").filter { $0.contains("\"message\" : ") || $0.contains("\"fingerprint\"") }.map(String.init)
        }
        let relative = try findings(["sub/airgap-bundle-20250101.tar.gz"], in: folder)
        XCTAssertTrue(relative.contains(#"      "message" : "no sidecar airgap-bundle-20250101.tar.gz.sha256 beside the tarball","#), "\(relative)")
        XCTAssertTrue(relative.contains { $0.contains(#""message" : "airgap-bundle-20250101.tar.gz.sig does not verify: "#) }, "\(relative)")
        XCTAssertEqual(try findings([path], in: folder), relative)
        XCTAssertEqual(try findings(["--root", "..", "airgap-bundle-20250101.tar.gz"], in: sub), relative)
    }

    /// In JUnit, a bundle given by an absolute path is one test case per rule, named as reports
    /// name the bundle, and failed by the rule's finding: it was a passed test case named by the
    /// absolute path beside a failed one named by the finding's file.
    func testABundleByAnAbsolutePathIsOneTestCasePerRule() throws {
        let folder = try temporaryFolder(self)
        let (path, _) = try goodBundle(in: folder)
        try FileManager.default.removeItem(atPath: path + ".sha256")
        let result = try airlock(["bundle", "verify", "--format", "junit", path], directory: folder)
        XCTAssertEqual(result.exitCode, 1, result.stdout + result.stderr)
        XCTAssertFalse(result.stdout.contains(folder.path), result.stdout)
        let suite = result.stdout.components(separatedBy: "<testsuite ").first { $0.hasPrefix(#"name="bundle-sidecar-digest""#) } ?? ""
        XCTAssertTrue(suite.hasPrefix(#"name="bundle-sidecar-digest" tests="1" failures="1" errors="0""#), suite)
        XCTAssertTrue(suite.contains(#"<testcase name="airgap-bundle-20250101.tar.gz" classname="bundle.bundle-sidecar-digest" time="0">"#), suite)
    }

    /// A finding on the tarball itself shows no source excerpt: its bytes are no lines of text.
    func testFindingsOnTheTarballShowNoExcerpt() throws {
        let folder = try temporaryFolder(self)
        let (path, _) = try goodBundle(in: folder, extra: [
            TestArchiveBuilder.Entry(path: "airgap-bundle-20250101/docs/escape.md", kind: .symlink("../../../etc/passwd"), mode: 0o777),
        ])
        let result = try airlock(["bundle", "verify", path], directory: folder)
        XCTAssertEqual(result.exitCode, 1, result.stdout)
        XCTAssertTrue(result.stdout.contains("airgap-bundle-20250101.tar.gz:1:1  CRITICAL  bundle-archive-entries-safe"), result.stdout)
        XCTAssertFalse(result.stdout.contains("    1 | "), result.stdout)
    }

    /// A link that loops, or whose chain is longer than Linux follows, is said to be so, at the tarball.
    func testLinksThatLoopOrChainTooFarSaySo() throws {
        let folder = try temporaryFolder(self)
        func link(_ name: String, _ target: String) -> TestArchiveBuilder.Entry {
            TestArchiveBuilder.Entry(path: "airgap-bundle-20250101/docs/" + name, kind: .symlink(target), mode: 0o777)
        }
        let chain = (0..<40).map { link("l\($0)", "l\($0 + 1)") } + [link("l40", "operations.md")]
        let (path, _) = try goodBundle(in: folder, extra: [link("a", "b"), link("b", "a")] + chain)
        let result = try airlock(["bundle", "verify", path])
        XCTAssertEqual(result.exitCode, 1, result.stdout + result.stderr)
        let found = result.stdout.split(separator: "\n").filter { $0.contains("bundle-archive-entries-safe") }
        let prefix = "airgap-bundle-20250101.tar.gz:1:1  CRITICAL  bundle-archive-entries-safe  -  unresolvable-link: airgap-bundle-20250101/docs/"
        XCTAssertEqual(found.map { $0.replacingOccurrences(of: folder.path + "/", with: "") }, [
            prefix + #"a (symlink to "b" loops: airgap-bundle-20250101/docs/a -> airgap-bundle-20250101/docs/b -> airgap-bundle-20250101/docs/a)"#,
            prefix + #"b (symlink to "a" loops: airgap-bundle-20250101/docs/b -> airgap-bundle-20250101/docs/a -> airgap-bundle-20250101/docs/b)"#,
            prefix + #"l0 (symlink to "l1" goes through more than 40 links, more than Linux follows)"#,
        ])
    }

    /// A bundle whose manifest.yaml cannot be loaded (a duplicate key, a list) or is missing is
    /// that error (exit 2); the rules that read the manifest are reported as not run, with the
    /// reason, rather than run on empty facts ("no version", every file unaccounted for), while
    /// those that do not still report: a link to /etc/shadow, a sidecar that does not match, no
    /// signature verifying with the key given.
    func testRulesNotReadingTheManifestStillRunWhenItIsNotKnown() throws {
        let folder = try temporaryFolder(self)
        let path = folder.appendingPathComponent("airgap-bundle-20250101.tar.gz").path
        struct Report: Decodable {
            struct Finding: Decodable {
                struct Location: Decodable { var file: String; var line: Int; var column: Int }
                var ruleId: String
                var message: String
                var location: Location
            }
            struct Rule: Decodable { var id: String; var notRun: String? }
            var findings: [Finding]
            var rules: [Rule]
        }
        func verify(manifest: String?) throws -> Report {
            let entries = try TestArchiveBuilder.entries(ofFolder: packageRoot.appendingPathComponent("testdata/bundles/airgap-good")).compactMap { entry in
                guard entry.path.hasSuffix("/manifest.yaml") else { return entry }
                return manifest.map { TestArchiveBuilder.Entry(path: entry.path, kind: .file(Array($0.utf8)), mode: 0o644) }
            } + [TestArchiveBuilder.Entry(path: "airgap-bundle-20250101/docs/shadow.md", kind: .symlink("/etc/shadow"), mode: 0o777)]
            try Data(try TestArchiveBuilder.tar(entries, compression: .gzip)).write(to: URL(fileURLWithPath: path))
            try Data("\(String(repeating: "0", count: 64))  airgap-bundle-20250101.tar.gz\n".utf8).write(to: URL(fileURLWithPath: path + ".sha256"))
            let result = try airlock(["bundle", "verify", path, "--key", "testdata/bundles/keys/cosign.pub", "--format", "json"])
            XCTAssertEqual(result.exitCode, 2, result.stdout + result.stderr)
            return try JSONDecoder().decode(Report.self, from: Data(result.stdout.replacingOccurrences(of: folder.path + "/", with: "").utf8))
        }
        let readingTheManifest = [
            "bundle-charts-match", "bundle-file-digests", "bundle-images-present", "bundle-manifest-fields",
            "bundle-models-present", "bundle-no-unaccounted-files",
        ]
        // A finding about the whole bundle points at its manifest when there is a document to point at.
        let manifestFile = "airgap-bundle-20250101.tar.gz!airgap-bundle-20250101/manifest.yaml"
        let cases: [(manifest: String?, reason: String, bundleAt: String)] = [
            ("version: 1.2.0\ntier: edge\ntier: connected\n", manifestFile + " could not be loaded: "
                + "duplicate key \"tier\" (first at line 2, column 1); readers disagree on which one wins", "airgap-bundle-20250101.tar.gz"),
            ("- version: 1.2.0\n", manifestFile + " could not be loaded: manifest.yaml is not a mapping", manifestFile),
            (nil, "airgap-bundle-20250101.tar.gz: no manifest.yaml: not an air-gap bundle", "airgap-bundle-20250101.tar.gz"),
        ]
        for (manifest, reason, bundleAt) in cases {
            let report = try verify(manifest: manifest)
            let sidecar = report.findings.first { $0.ruleId == "bundle-sidecar-digest" }
            XCTAssertEqual(report.findings.map { "\($0.ruleId) \($0.location.file):\($0.location.line):\($0.location.column) \($0.message)" }, [
                "bundle-archive-entries-safe airgap-bundle-20250101.tar.gz:1:1 link-outside-root: airgap-bundle-20250101/docs/shadow.md (symlink to \"/etc/shadow\" resolves outside the bundle root)",
                "bundle-signature \(bundleAt):1:1 no signature of the tarball (.sig beside it) or of manifest.yaml (manifest.yaml.sig) verifies with the given key",
                "bundle-sidecar-digest airgap-bundle-20250101.tar.gz.sha256:1:1 " + (sidecar?.message ?? ""),
            ], reason)
            XCTAssertTrue(sidecar?.message.hasSuffix(", the sidecar says " + String(repeating: "0", count: 64)) == true, sidecar?.message ?? "no sidecar finding")
            let rules = report.rules.filter { $0.id.hasPrefix("bundle-") }
            XCTAssertEqual(rules.filter { $0.notRun != nil }.map(\.id), readingTheManifest)
            XCTAssertEqual(Set(rules.compactMap(\.notRun)), [reason])
            XCTAssertEqual(rules.filter { $0.notRun == nil }.map(\.id), [
                "bundle-archive-entries-safe", "bundle-image-references-unresolved", "bundle-referenced-images-present", "bundle-sidecar-digest", "bundle-signature",
            ])
        }
    }

    /// Of two bundles, one whose manifest cannot be loaded: the rules reading the manifest run on
    /// the other, and every report says which bundle they were not evaluated on, and why (JUnit
    /// a skipped test case of that bundle, not a suite that passes on the other alone).
    func testARuleNotEvaluatedOnOneOfTwoBundlesSaysSoInEveryReport() throws {
        let folder = try temporaryFolder(self)
        for name in ["a", "b"] {
            try FileManager.default.copyItem(
                at: packageRoot.appendingPathComponent("testdata/bundles/airgap-good"), to: folder.appendingPathComponent(name))
        }
        try Data("version: 1.2.0\ntier: edge\ntier: connected\n".utf8)
            .write(to: folder.appendingPathComponent("b/airgap-bundle-20250101/manifest.yaml"))
        let reason = #"b/airgap-bundle-20250101/manifest.yaml could not be loaded: duplicate key "tier" (first at line 2, column 1); readers disagree on which one wins"#
        func verify(_ format: String) throws -> String {
            let result = try airlock(["bundle", "verify", "a/airgap-bundle-20250101", "b/airgap-bundle-20250101", "--format", format], directory: folder)
            XCTAssertEqual(result.exitCode, 2, result.stdout + result.stderr)
            return result.stdout
        }

        struct Report: Decodable {
            struct Rule: Decodable {
                struct Skip: Decodable, Equatable { var subject: String; var reason: String }
                var id: String
                var evaluated: Int
                var notRun: String?
                var skipped: [Skip]?
            }
            var rules: [Rule]
        }
        let rules = try JSONDecoder().decode(Report.self, from: Data(try verify("json").utf8)).rules
        let skipped = rules.filter { $0.skipped != nil }
        XCTAssertEqual(skipped.map(\.id), [
            "bundle-charts-match", "bundle-file-digests", "bundle-images-present", "bundle-manifest-fields",
            "bundle-models-present", "bundle-no-unaccounted-files",
        ])
        for rule in skipped {
            XCTAssertEqual(rule.skipped, [.init(subject: "b/airgap-bundle-20250101", reason: reason)], rule.id)
            XCTAssertEqual(rule.evaluated, 1, rule.id)
            XCTAssertNil(rule.notRun, rule.id)
        }

        let junit = try verify("junit")
        XCTAssertTrue(junit.contains("""
                <testcase name="a/airgap-bundle-20250101" classname="bundle.bundle-file-digests" time="0"/>
                <testcase name="b/airgap-bundle-20250101" classname="bundle.bundle-file-digests" time="0">
                  <skipped message="not evaluated: \(reason.replacingOccurrences(of: "\"", with: "&quot;"))"></skipped>
                </testcase>
            """), junit)
        XCTAssertTrue(try verify("text").contains("airlock: note: 6 rules were not evaluated on b/airgap-bundle-20250101 (bundle-charts-match, "
            + "bundle-file-digests, bundle-images-present, bundle-manifest-fields, bundle-models-present, bundle-no-unaccounted-files), "
            + "for the same reason: \(reason)\n"))
        XCTAssertTrue(try verify("github").contains("::notice title=bundle-file-digests not evaluated on b/airgap-bundle-20250101::\(reason)\n"))
        XCTAssertTrue(try verify("sarif").contains("\"text\" : \"Rule bundle-file-digests was not evaluated on b/airgap-bundle-20250101: "
            + reason.replacingOccurrences(of: "\"", with: "\\\"") + ".\""))
    }

    /// An image whose manifest.json is not JSON cannot be known: an error (exit 2) at its place.
    func testAnImageManifestThatIsNotJSONIsAnErrorAtItsPlace() throws {
        let folder = try temporaryFolder(self)
        let image = try TestArchiveBuilder.tar([TestArchiveBuilder.Entry(path: "manifest.json", kind: .file(Array("[\n  {\n    \"Config\": [}\n]\n".utf8)), mode: 0o644)])
        let (path, _) = try goodBundle(in: folder, extra: [TestArchiveBuilder.Entry(path: "airgap-bundle-20250101/images/x.tar", kind: .file(image), mode: 0o644)])
        let result = try airlock(["bundle", "verify", path])
        XCTAssertEqual(result.exitCode, 2, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains(path + "!airgap-bundle-20250101/images/x.tar!manifest.json:3:16: error: malformed JSON: while parsing a flow node, did not find expected node content"), result.stdout)
        XCTAssertFalse(result.stdout.contains("bundle-archive-entries-safe"), result.stdout)
    }

    /// A chart whose Chart.yaml is not YAML is an error (exit 2) at its place, as a subchart
    /// folder's is, whatever `--fail-on` says of the findings that Helm refuses the chart.
    func testAChartFileThatIsNotYAMLIsAnErrorAtItsPlace() throws {
        let folder = try temporaryFolder(self)
        let chart = try TestArchiveBuilder.tar([
            TestArchiveBuilder.Entry(path: "x/Chart.yaml", kind: .file(Array("apiVersion: v2\nname: x\ndependencies: [\n".utf8)), mode: 0o644),
        ], compression: .gzip)
        let (path, _) = try goodBundle(in: folder, extra: [TestArchiveBuilder.Entry(path: "airgap-bundle-20250101/charts/x-1.0.0.tgz", kind: .file(chart), mode: 0o644)])
        let result = try airlock(["bundle", "verify", path, "--fail-on", "critical"])
        XCTAssertEqual(result.exitCode, 2, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains(path + "!airgap-bundle-20250101/charts/x-1.0.0.tgz!x/Chart.yaml:4:1: error: malformed YAML: while parsing a flow node, did not find expected node content"), result.stdout)
    }

    /// A dependency a chart's Chart.yaml declares must be in its charts/, in its version range:
    /// Helm refuses to install the chart without it, and an air-gapped site cannot fetch it. So
    /// must a dependency of a subchart folder, in that folder's own charts/.
    func testChartDependenciesNotInTheChartAreFindingsAtTheirItem() throws {
        let folder = try temporaryFolder(self)
        let path = try bundle("airgap-chart-dependencies", file: "airgap-bundle-20250111.tar.gz", in: folder)
        let result = try airlock(["bundle", "verify", path])
        XCTAssertEqual(result.exitCode, 1, result.stdout + result.stderr)
        let chartFile = path + "!airgap-bundle-20250111/charts/app-1.0.0.tgz!app/Chart.yaml"
        XCTAssertEqual(result.stdout.split(separator: "\n").filter { $0.contains("bundle-charts-match") }, [
            chartFile + ":5:5  HIGH  bundle-charts-match  -  dependency postgresql ~15.5.0 is not in the chart's charts/ folder, and an air-gapped site cannot fetch it",
            chartFile + ":8:5  HIGH  bundle-charts-match  -  dependency redis >=18.0.0, <19.0.0: the chart's charts/ holds redis 17.3.2, outside that range",
            path + "!airgap-bundle-20250111/charts/app-1.0.0.tgz!app/charts/web/Chart.yaml:5:5  HIGH  bundle-charts-match  -  dependency ui 1.x is not in the chart's charts/ folder, and an air-gapped site cannot fetch it",
        ])
    }

    func testBundleVerifyFindsUnshippedImageReferencesAndBadTierValues() throws {
        let folder = try temporaryFolder(self)
        let path = try bundle("airgap-refs-bad", file: "airgap-bundle-20250105.tar.gz", in: folder)
        let result = try airlock(["bundle", "verify", path, "--format", "json"])
        XCTAssertEqual(result.exitCode, 1, result.stdout + result.stderr)
        let chart = "airgap-bundle-20250105/charts/ai-platform-1.2.0.tgz!ai-platform/"
        XCTAssertEqual(try findings(result.stdout), [
            "bundle-referenced-images-present high \(chart)templates/deployment.yaml:10:18",
            "bundle-image-references-unresolved info \(chart)templates/deployment.yaml:13:18",
            "values-edge-local-registry high \(chart)values-tier1-edge.yaml:14:8",
            "bundle-referenced-images-present high \(chart)values.yaml:10:5",
            "bundle-referenced-images-present high airgap-bundle-20250105/manifests/agents.yaml:7:10",
            "bundle-referenced-images-present high airgap-bundle-20250105/manifests/agents.yaml:21:18",
            "bundle-referenced-images-present high airgap-bundle-20250105/values/values-overrides.yaml:2:10",
        ])
    }

    func testPreDeployPassesABundleWhoseReferencedImagesAreShipped() throws {
        let folder = try temporaryFolder(self)
        let path = try bundle("airgap-refs-good", file: "airgap-bundle-20250104.tar.gz", in: folder)
        // The bundle's manifests are in namespace team-alpha, whose Namespace the platform's have.
        let result = try airlock(["gate", "pre-deploy", "testdata/platform/compliant", path, "--format", "json",
                                  "--values", "testdata/platform/values/values-tier1-edge.yaml", "--values", "testdata/platform/values/values-tenants.yaml"])
        XCTAssertEqual(result.exitCode, 0, result.stdout + result.stderr)
        XCTAssertEqual(try findings(result.stdout), [
            "bundle-image-references-unresolved info airgap-bundle-20250104/charts/ai-platform-1.2.0.tgz!ai-platform/templates/deployment.yaml:13:18",
        ])
    }

    /// The deploy profile needs the tier: without it the air-gap rules would not run, and the
    /// gate would pass what they would refuse.
    func testPreDeployWithoutATierIsAnError() throws {
        let result = try airlock(["gate", "pre-deploy", "testdata/platform/compliant"])
        XCTAssertEqual(result.exitCode, 2, result.stdout + result.stderr)
        XCTAssertTrue((result.stdout + result.stderr).contains("the deploy profile needs the tier the platform is deployed at"), result.stdout)
        let withTier = try airlock(["gate", "pre-deploy", "testdata/platform/compliant",
                                    "--values", "testdata/platform/values/values-tier1-edge.yaml", "--values", "testdata/platform/values/values-tenants.yaml"])
        XCTAssertEqual(withTier.exitCode, 0, withTier.stdout + withTier.stderr)
        // `check` notes the rules that did not run, as before.
        XCTAssertEqual(try airlock(["check", "testdata/platform/compliant"]).exitCode, 0)
    }

    /// A tier the values name that is no tier (`Edge`) is an error at its line, as `--tier Edge`
    /// is refused: the rules limited to a tier would not run, and the gate passed without them.
    /// It is said once: values-tier-known does not report it again as a finding (which an
    /// exception or `--fail-on critical` could silence while the error cannot), and the rules
    /// that did not run are listed as such.
    func testValuesWithAnUnknownTierAreAnErrorSaidOnce() throws {
        let values = try temporaryFolder(self).appendingPathComponent("values.yaml")
        try Data("global:\n  connectivity: none\n  tier: Edge\n".utf8).write(to: values)
        for command in [["gate", "pre-deploy"], ["check"]] {
            let result = try airlock(command + ["testdata/platform/compliant", "--values", values.path])
            XCTAssertEqual(result.exitCode, 2, result.stdout + result.stderr)
            XCTAssertTrue(result.stdout.contains(
                "\(values.path):3:9: error: global.tier \"Edge\" is not a deployment tier (edge, datacenter or connected): the rules that depend on the tier could not run"),
                result.stdout)
            XCTAssertEqual(result.stdout.components(separatedBy: "\"Edge\" is not a ").count - 1, 1, result.stdout)
            XCTAssertFalse(result.stdout.contains("values-tier-known"), result.stdout)
            let json = try airlock(command + ["testdata/platform/compliant", "--values", values.path, "--format", "json"])
            XCTAssertEqual(json.exitCode, 2)
            XCTAssertEqual(try findings(json.stdout).filter { $0.hasPrefix("values-tier-known ") }, [])
            XCTAssertTrue(json.stdout.contains("\"notRun\" : \"it applies only at tiers edge, datacenter, and the deployment tier \\\"Edge\\\" is not one"), json.stdout)
        }
        // A global.tier that is no string is refused alike.
        try Data("global:\n  tier: [edge]\n".utf8).write(to: values)
        let list = try airlock(["check", "testdata/platform/compliant", "--values", values.path, "--fail-on", "critical"])
        XCTAssertEqual(list.exitCode, 2, list.stdout + list.stderr)
        XCTAssertTrue(list.stdout.contains(
            "\(values.path):2:9: error: global.tier is a list, not the name of a deployment tier (edge, datacenter or connected)"), list.stdout)
        XCTAssertFalse(list.stdout.contains("values-tier-known"), list.stdout)
        try Data("global:\n  connectivity: none\n  tier: Edge\n".utf8).write(to: values)
        // With --tier, the values' unknown tier is the finding, once (not also "disagrees with --tier").
        let withTier = try airlock(["check", "testdata/platform/compliant", "--values", values.path, "--tier", "edge", "--format", "json"])
        XCTAssertEqual(withTier.exitCode, 1, withTier.stdout + withTier.stderr)
        XCTAssertEqual(try findings(withTier.stdout).filter { $0.hasPrefix("values-tier-known ") }, ["values-tier-known high \(values.path):3:9"])
    }

    /// Each command's help says what its paths are: `bundle verify` and `gate pre-publish` read
    /// no standard input, and refuse `-` saying so.
    func testHelpNamesWhatEachCommandReads() throws {
        let cases: [(command: [String], paths: String, refusal: String?)] = [
            (["bundle", "verify"], "Air-gap bundles: tarballs", "give the bundle tarball or folder to verify (a bundle is not read from standard input)"),
            (["gate", "pre-publish"], "Domain package folders or tarballs holding", "give the package folder or tarball to check (a package is not read from standard input)"),
            (["check"], "or - for standard input", nil),
        ]
        for (command, paths, refusal) in cases {
            let help = try airlock(command + ["--help"]).stdout
            let arguments = try XCTUnwrap(help.range(of: "ARGUMENTS:")).upperBound..<(try XCTUnwrap(help.range(of: "OPTIONS:")).lowerBound)
            XCTAssertTrue(help[arguments].contains(paths), help)
            XCTAssertEqual(help[arguments].contains("standard input"), refusal == nil, help)
            guard let refusal else { continue }
            let dash = try airlock(command + ["-"], input: "")
            XCTAssertEqual(dash.exitCode, 2)
            XCTAssertTrue(dash.stderr.contains(refusal), dash.stderr)
        }
    }

    func testPrePublishPassesTheGoodPackage() throws {
        let result = try airlock(["gate", "pre-publish", "testdata/bundles/package-good/customer-service", "--registry", "testdata/bundles/registry-next"])
        XCTAssertEqual(result.exitCode, 0, result.stdout + result.stderr)
    }

    /// A key or a registry index that cannot be read is an error at it that says why, never
    /// "cannot read archive": neither is one.
    func testAKeyOrRegistryIndexThatCannotBeReadIsNoArchive() throws {
        let folder = try temporaryFolder(self)
        let registry = try airlock(["gate", "pre-publish", packageRoot.appendingPathComponent("testdata/bundles/package-good/customer-service").path, "--registry", "absent"], directory: folder)
        XCTAssertEqual(registry.exitCode, 2, registry.stdout + registry.stderr)
        XCTAssertTrue(registry.stdout.contains("absent/index.yaml:1:1: error: cannot open: No such file or directory"), registry.stdout)
        let key = try airlock(["bundle", "verify", packageRoot.appendingPathComponent("testdata/bundles/package-good").path, "--key", "."], directory: folder)
        XCTAssertEqual(key.exitCode, 2, key.stdout + key.stderr)
        XCTAssertTrue(key.stdout.contains(".:1:1: error: cannot read the public key: it is not a regular file"), key.stdout)
    }

    func testPrePublishFailsTheBadPackageWithItsRules() throws {
        let result = try airlock(["gate", "pre-publish", "testdata/bundles/package-bad/sales-operations", "--registry", "testdata/bundles/registry"])
        XCTAssertEqual(result.exitCode, 1, result.stdout + result.stderr)
        for rule in ["package-manifest-fields", "package-dependencies-valid", "package-files-declared", "package-readme", "package-docs-complete", "package-dependencies-published"] {
            XCTAssertTrue(result.stdout.contains(rule), "\(rule) missing in\n\(result.stdout)")
        }
        XCTAssertTrue(result.stdout.contains("sales-operations/package.yaml:9:5"), result.stdout)
    }

    /// A package whose listing stops at an error (here a tarball cut short before its
    /// package.yaml) is that error alone: its rules are reported as not run, not run on what was
    /// read ("package.yaml has no name" about a file that was never reached).
    func testAPackageNotReadWholeIsTheErrorAlone() throws {
        let folder = try temporaryFolder(self)
        let noise = (0..<200_000).map { _ in UInt8.random(in: 0...255) }
        let package = try TestArchiveBuilder.entries(ofFolder: packageRoot.appendingPathComponent("testdata/bundles/package-good"))
            .filter { $0.path.hasPrefix("customer-service/") }
        let manifest = package.filter { $0.path.hasSuffix("/package.yaml") }
        let entries = package.filter { !$0.path.hasSuffix("/package.yaml") }
            + [TestArchiveBuilder.Entry(path: "customer-service/../evil.sh", kind: .file(Array("rm -rf /".utf8)), mode: 0o755),
               TestArchiveBuilder.Entry(path: "customer-service/docs/blob.bin", kind: .file(noise), mode: 0o644)] + manifest
        let bytes = try TestArchiveBuilder.tar(entries, compression: .gzip)
        let path = folder.appendingPathComponent("customer-service.tar.gz").path
        try Data(bytes.prefix(bytes.count - 20_000)).write(to: URL(fileURLWithPath: path))
        let result = try airlock(["gate", "pre-publish", path, "--format", "json"])
        XCTAssertEqual(result.exitCode, 2, result.stdout)
        XCTAssertEqual(try findings(result.stdout), [])
        XCTAssertTrue(result.stdout.contains("\(path) could not be read whole"), result.stdout)
        // What was found before the read stopped is still said, as an error.
        XCTAssertTrue(result.stdout.contains("path-traversal: customer-service/../evil.sh"), result.stdout)

        // A bundle given as a package has no package.yaml: that error alone.
        let bundle = try airlock(["gate", "pre-publish", try goodBundle(in: folder).path, "--format", "json"])
        XCTAssertEqual(bundle.exitCode, 2, bundle.stdout)
        XCTAssertEqual(try findings(bundle.stdout), [])
    }

    /// A package.yaml that is no mapping is that one error: no rule adds an evaluation error of
    /// its own about it.
    func testAPackageManifestThatIsNoMappingIsOneError() throws {
        let package = try temporaryFolder(self).appendingPathComponent("text")
        try FileManager.default.createDirectory(at: package, withIntermediateDirectories: true)
        try Data("a package, written as text\n".utf8).write(to: package.appendingPathComponent("package.yaml"))
        let result = try airlock(["gate", "pre-publish", package.path, "--format", "json"])
        XCTAssertEqual(result.exitCode, 2, result.stdout)
        struct Report: Decodable {
            struct Diagnostic: Decodable { var message: String }
            var diagnostics: [Diagnostic]
        }
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        XCTAssertEqual(report.diagnostics.map(\.message), ["package.yaml is not a mapping"])
    }

    func testPrePublishFailsAnUnlistedAgentShippedAsALink() throws {
        let folder = try temporaryFolder(self)
        let entries = try TestArchiveBuilder.entries(ofFolder: packageRoot.appendingPathComponent("testdata/bundles/package-good")).filter { !$0.path.hasSuffix(".local.yaml") } + [
            TestArchiveBuilder.Entry(path: "customer-service/agents/rogue.md", kind: .hardlink("customer-service/docs/getting-started.md"), mode: 0o644),
            TestArchiveBuilder.Entry(path: "customer-service/agents/rogue2.md", kind: .symlink("../docs/getting-started.md"), mode: 0o777),
        ]
        let path = folder.appendingPathComponent("customer-service.tar.gz").path
        try Data(try TestArchiveBuilder.tar(entries, compression: .gzip)).write(to: URL(fileURLWithPath: path))
        let result = try airlock(["gate", "pre-publish", path, "--registry", "testdata/bundles/registry-next"])
        XCTAssertEqual(result.exitCode, 1, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("package-files-listed  -  agents/rogue.md is in the package but not listed in package.yaml"), result.stdout)
        XCTAssertTrue(result.stdout.contains("package-files-listed  -  agents/rogue2.md is in the package but not listed in package.yaml"), result.stdout)
    }

    /// A published pre-release is published too: republishing 1.3.0-rc.1 replaces what sites
    /// installed (pre-releases count only for "newer than"). A registry version that is no
    /// semantic version cannot be ordered: an error at its line, never left out.
    func testPrePublishRefusesARepublishedPreReleaseAndAVersionThatCannotBeOrdered() throws {
        let folder = try temporaryFolder(self)
        let package = folder.appendingPathComponent("customer-service")
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("testdata/bundles/package-good/customer-service"), to: package)
        let manifest = package.appendingPathComponent("package.yaml")
        let text = try String(contentsOf: manifest, encoding: .utf8)
        try text.replacingOccurrences(of: "version: 1.2.0", with: "version: 1.3.0-rc.1").write(to: manifest, atomically: true, encoding: .utf8)
        let republished = try airlock(["gate", "pre-publish", package.path, "--registry", "testdata/bundles/registry"])
        XCTAssertEqual(republished.exitCode, 1, republished.stdout)
        XCTAssertTrue(republished.stdout.contains("customer-service 1.3.0-rc.1 is already published"), republished.stdout)

        let registry = folder.appendingPathComponent("registry")
        try FileManager.default.createDirectory(at: registry, withIntermediateDirectories: true)
        try Data("packages:\n  customer-service:\n    - version: v2.0.0\n".utf8).write(to: registry.appendingPathComponent("index.yaml"))
        let unordered = try airlock(["gate", "pre-publish", "testdata/bundles/package-good/customer-service", "--registry", registry.path])
        XCTAssertEqual(unordered.exitCode, 2, unordered.stdout)
        XCTAssertTrue(unordered.stdout.contains("index.yaml:3:16"), unordered.stdout)
        XCTAssertTrue(unordered.stdout.contains("\"customer-service\" version \"v2.0.0\" is not a semantic version"), unordered.stdout)
    }

    func testPrePublishRefusesAnAlreadyPublishedVersion() throws {
        let result = try airlock(["gate", "pre-publish", "testdata/bundles/package-good/customer-service", "--registry", "testdata/bundles/registry"])
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertTrue(result.stdout.contains("package-registry-version"), result.stdout)
        XCTAssertTrue(result.stdout.contains("already published"), result.stdout)
    }

    func testBundleVerifyPassesTheGoodBundleWithAValidSignature() throws {
        let folder = try temporaryFolder(self)
        let bundle = try goodBundle(in: folder)
        let key = P256.Signing.PrivateKey()
        let signature = try key.signature(for: SHA256.hash(data: bundle.bytes))
        try Data(signature.derRepresentation.base64EncodedString().utf8).write(to: URL(fileURLWithPath: bundle.path + ".sig"))
        let keyFile = folder.appendingPathComponent("cosign.pub").path
        try Data(key.publicKey.pemRepresentation.utf8).write(to: URL(fileURLWithPath: keyFile))
        let result = try airlock(["bundle", "verify", bundle.path, "--key", keyFile])
        XCTAssertEqual(result.exitCode, 0, result.stdout + result.stderr)
    }

    /// The good bundle with `manifest.yaml.sig` over its manifest (its `digests:` replaced by one
    /// line per file when `bindEveryFile`, then `appending` added), and the public key file.
    private func manifestSignedBundle(in folder: URL, bindEveryFile: Bool, appending: String = "") throws -> (path: String, key: String) {
        let root = "airgap-bundle-20250101/"
        var entries = try TestArchiveBuilder.entries(ofFolder: packageRoot.appendingPathComponent("testdata/bundles/airgap-good"))
        guard let index = entries.firstIndex(where: { $0.path == root + "manifest.yaml" }), case .file(let original) = entries[index].kind else {
            throw XCTSkip("no manifest.yaml in testdata/bundles/airgap-good")
        }
        var manifest = String(decoding: original, as: UTF8.self)
        if bindEveryFile {
            manifest = String(manifest[..<manifest.range(of: "digests:")!.lowerBound]) + "digests:\n"
            for entry in entries where entry.path != root + "manifest.yaml" {
                guard case .file(let bytes) = entry.kind else { continue }
                let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
                manifest += "  \(entry.path.dropFirst(root.count)): sha256:\(digest)\n"
            }
        }
        manifest += appending
        let key = P256.Signing.PrivateKey()
        let signature = try key.signature(for: SHA256.hash(data: Data(manifest.utf8)))
        entries[index].kind = .file(Array(manifest.utf8))
        entries.insert(TestArchiveBuilder.Entry(path: root + "manifest.yaml.sig", kind: .file(Array(signature.derRepresentation.base64EncodedString().utf8)), mode: 0o644), at: index + 1)
        let path = folder.appendingPathComponent("airgap-bundle-20250101.tar.gz").path
        let bytes = try TestArchiveBuilder.tar(entries, compression: .gzip)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        try Data("\(digest)  airgap-bundle-20250101.tar.gz\n".utf8).write(to: URL(fileURLWithPath: path + ".sha256"))
        let keyFile = folder.appendingPathComponent("cosign.pub").path
        try Data(key.publicKey.pemRepresentation.utf8).write(to: URL(fileURLWithPath: keyFile))
        return (path, keyFile)
    }

    func testManifestSignatureIsRefusedWhenTheManifestDoesNotBindEveryFile() throws {
        let folder = try temporaryFolder(self)
        let bundle = try manifestSignedBundle(in: folder, bindEveryFile: false)
        let result = try airlock(["bundle", "verify", bundle.path, "--key", bundle.key])
        XCTAssertEqual(result.exitCode, 1, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains(
            "manifest.yaml.sig verifies, but the manifest binds no matching SHA-256 digest for 6 file(s) of the bundle, which the signature therefore does not cover: "
                + "INSTALL-AIRGAP.md, charts/ai-platform-1.2.0.tgz, images/ai-platform-inference-v1.2.0.tar.gz, images/postgres-15.tar, "
                + "models/mistral-7b-instruct-v0.2/config.json, models/mistral-7b-instruct-v0.2/model-00001.safetensors"), result.stdout)
    }

    /// A signature of a manifest that cannot be loaded verifies, but binds nothing known: the
    /// rule runs (it reads no manifest field) and refuses it, beside the manifest's error.
    func testManifestSignatureOfAManifestThatCannotBeLoadedCoversNothing() throws {
        let folder = try temporaryFolder(self)
        let bundle = try manifestSignedBundle(in: folder, bindEveryFile: true, appending: "tier: connected\n")
        let result = try airlock(["bundle", "verify", bundle.path, "--key", bundle.key])
        XCTAssertEqual(result.exitCode, 2, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("airgap-bundle-20250101/manifest.yaml:20:1: error: duplicate key \"tier\" (first at line 3, column 1)"), result.stdout)
        XCTAssertTrue(result.stdout.contains(
            "airgap-bundle-20250101.tar.gz:1:1  CRITICAL  bundle-signature  -  manifest.yaml.sig verifies, but the manifest binds no matching SHA-256 digest for 7 file(s) of the bundle, "
                + "which the signature therefore does not cover: INSTALL-AIRGAP.md, charts/ai-platform-1.2.0.tgz, docs/operations.md, images/ai-platform-inference-v1.2.0.tar.gz, images/postgres-15.tar, "
                + "models/mistral-7b-instruct-v0.2/config.json, models/mistral-7b-instruct-v0.2/model-00001.safetensors\n"), result.stdout)
    }

    func testManifestSignatureIsAcceptedWhenTheManifestBindsEveryFile() throws {
        let folder = try temporaryFolder(self)
        let bundle = try manifestSignedBundle(in: folder, bindEveryFile: true)
        let result = try airlock(["bundle", "verify", bundle.path, "--key", bundle.key])
        XCTAssertEqual(result.exitCode, 0, result.stdout + result.stderr)
    }

    func testBundleVerifyFailsABadSignature() throws {
        let folder = try temporaryFolder(self)
        let bundle = try goodBundle(in: folder)
        let signer = P256.Signing.PrivateKey()
        let signature = try signer.signature(for: SHA256.hash(data: bundle.bytes))
        try Data(signature.derRepresentation.base64EncodedString().utf8).write(to: URL(fileURLWithPath: bundle.path + ".sig"))
        let keyFile = folder.appendingPathComponent("other.pub").path
        try Data(P256.Signing.PrivateKey().publicKey.pemRepresentation.utf8).write(to: URL(fileURLWithPath: keyFile))
        let result = try airlock(["bundle", "verify", bundle.path, "--key", keyFile])
        XCTAssertEqual(result.exitCode, 1, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("bundle-signature"), result.stdout)

        // A key file that holds no P-256 public key is an error naming it, never a pass.
        try Data("not a key\n".utf8).write(to: URL(fileURLWithPath: keyFile))
        let notAKey = try airlock(["bundle", "verify", bundle.path, "--key", keyFile])
        XCTAssertEqual(notAKey.exitCode, 2, notAKey.stdout + notAKey.stderr)
        XCTAssertTrue(notAKey.stdout.contains("other.pub:1:1: error: the public key is not a PEM-encoded ECDSA P-256 public key"), notAKey.stdout)
        XCTAssertTrue(notAKey.stdout.contains(".sig does not verify: not verified: the key given is no ECDSA P-256 public key"), notAKey.stdout)
        XCTAssertFalse(notAKey.stdout.contains("null"), notAKey.stdout)
    }

    func testBundleVerifyReportsHostileEntriesAndTampering() throws {
        let folder = try temporaryFolder(self)
        let bundle = try goodBundle(in: folder, extra: [
            TestArchiveBuilder.Entry(path: "airgap-bundle-20250101/../../etc/cron.d/evil", kind: .file(Array("x".utf8)), mode: 0o644),
            TestArchiveBuilder.Entry(path: "airgap-bundle-20250101/docs/tool", kind: .file(Array("x".utf8)), mode: 0o4755),
            TestArchiveBuilder.Entry(path: "airgap-bundle-20250101/docs/null", kind: .characterDevice, mode: 0o666),
        ])
        try Data("0000000000000000000000000000000000000000000000000000000000000000  airgap-bundle-20250101.tar.gz\n".utf8)
            .write(to: URL(fileURLWithPath: bundle.path + ".sha256"))
        let result = try airlock(["bundle", "verify", bundle.path])
        XCTAssertEqual(result.exitCode, 1, result.stdout + result.stderr)
        for expected in ["bundle-archive-entries-safe", "path-traversal", "setuid", "special-file", "bundle-sidecar-digest"] {
            XCTAssertTrue(result.stdout.contains(expected), "\(expected) missing in\n\(result.stdout)")
        }
    }

    func testCorruptArchiveFailsClosed() throws {
        let folder = try temporaryFolder(self)
        let path = folder.appendingPathComponent("corrupt.tar.gz").path
        try Data([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02, 0x03]).write(to: URL(fileURLWithPath: path))
        let result = try airlock(["bundle", "verify", path])
        XCTAssertEqual(result.exitCode, 2, result.stdout + result.stderr)
        XCTAssertTrue((result.stdout + result.stderr).contains("corrupt.tar.gz"), result.stdout + result.stderr)
    }

    /// A bundle that cannot be opened is an error, and only that: no findings about its
    /// "missing" manifest fields.
    /// A bundle named through a link is not followed, and the error says why (it said "Too many
    /// levels of symbolic links", as for a process substitution `<(...)`).
    func testABundleNamedThroughALinkIsAnErrorThatSaysSo() throws {
        let folder = try temporaryFolder(self)
        let bundle = try goodBundle(in: folder)
        let link = folder.appendingPathComponent("latest.tar.gz").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: bundle.path)
        let result = try airlock(["bundle", "verify", link])
        XCTAssertEqual(result.exitCode, 2, result.stdout)
        XCTAssertTrue(result.stdout.contains("cannot open: it is a symbolic link, which is not followed: give the archive file itself"), result.stdout)
    }

    func testMissingBundleIsOneErrorAndNoFindings() throws {
        let folder = try temporaryFolder(self)
        let path = folder.appendingPathComponent("airgap-bundle-20250101.tar.gz").path
        let result = try airlock(["bundle", "verify", path, "--format", "json"])
        XCTAssertEqual(result.exitCode, 2, result.stdout + result.stderr)
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        XCTAssertEqual((report?["findings"] as? [Any])?.count, 0, result.stdout)
        XCTAssertEqual((report?["diagnostics"] as? [Any])?.count, 1, result.stdout)
    }

    func testPreDeployTakesABundleAmongItsPaths() throws {
        let folder = try temporaryFolder(self)
        let bundle = try goodBundle(in: folder)
        let result = try airlock(["gate", "pre-deploy", "testdata/platform/compliant", bundle.path,
                                  "--values", "testdata/platform/values/values-tier1-edge.yaml", "--values", "testdata/platform/values/values-tenants.yaml"])
        XCTAssertEqual(result.exitCode, 0, result.stdout + result.stderr)
        let broken = try airlock(["gate", "pre-deploy", "testdata/platform/compliant", "testdata/bundles/airgap-odd",
                                  "--values", "testdata/platform/values/values-tier1-edge.yaml", "--values", "testdata/platform/values/values-tenants.yaml"])
        XCTAssertEqual(broken.exitCode, 1, broken.stdout + broken.stderr)
        XCTAssertTrue(broken.stdout.contains("bundle-models-present"), broken.stdout)
    }

    /// The installer applies a bundle's manifests as they are, whatever a file is named
    /// (`values-pod.yaml`, under `templates/`): `gate pre-deploy` checks their objects with the
    /// resource rules, at their place inside the bundle (they were scanned only for images), in
    /// the run's namespace; the bundle's own annotations accept no risk; `bundle verify` runs no
    /// resource rule.
    func testPreDeployChecksTheObjectsOfABundlesManifests() throws {
        let folder = try temporaryFolder(self)
        let pod = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: miner
              annotations: {airlock.dev/exception.no-host-network: "needed; owner=ops; expires=2099-12-31"}
            spec:
              hostNetwork: true
              containers: [{name: m, image: ai-platform/inference:v1.2.0}]

            """
        let (path, _) = try goodBundle(in: folder, extra: [
            TestArchiveBuilder.Entry(path: "airgap-bundle-20250101/manifests/pod.yaml", kind: .file(Array(pod.utf8)), mode: 0o644),
            TestArchiveBuilder.Entry(path: "airgap-bundle-20250101/manifests/templates/values-pod.yaml",
                                     kind: .file(Array(pod.replacingOccurrences(of: "name: miner", with: "name: other").utf8)), mode: 0o644),
        ])
        let gate = try airlock(["gate", "pre-deploy", path, "--format", "json", "--namespace", "team-alpha",
                                "--values", "testdata/platform/values/values-tier1-edge.yaml", "--values", "testdata/platform/values/values-tenants.yaml"])
        XCTAssertEqual(gate.exitCode, 1, gate.stdout)
        let found = try findings(gate.stdout)
        XCTAssertTrue(found.contains("no-host-network high airgap-bundle-20250101/manifests/pod.yaml:7:16"), gate.stdout)
        XCTAssertTrue(found.contains("no-host-network high airgap-bundle-20250101/manifests/templates/values-pod.yaml:7:16"), gate.stdout)
        XCTAssertTrue(gate.stdout.contains("team-alpha/Pod/miner"), gate.stdout)

        // The same Pod twice among the manifests and once in the bundle: three copies, counted once.
        let manifests = folder.appendingPathComponent("rendered")
        try FileManager.default.createDirectory(at: manifests, withIntermediateDirectories: true)
        for name in ["a.yaml", "b.yaml"] { try Data(pod.utf8).write(to: manifests.appendingPathComponent(name)) }
        let copies = try airlock(["gate", "pre-deploy", manifests.path, path, "--namespace", "team-alpha",
                                  "--values", "testdata/platform/values/values-tier1-edge.yaml", "--values", "testdata/platform/values/values-tenants.yaml"])
        XCTAssertEqual(copies.stdout.components(separatedBy: "team-alpha/Pod/miner is defined 3 times").count - 1, 2, copies.stdout)
        XCTAssertFalse(copies.stdout.contains("is defined twice"), copies.stdout)
        let verify = try airlock(["bundle", "verify", path, "--format", "json"])
        XCTAssertFalse(try findings(verify.stdout).contains { $0.hasPrefix("no-host-network") }, verify.stdout)
    }

    /// An edge bundle's values-tier1-edge.yaml is installed at the edge whatever its global.tier
    /// says: holding the connected tier's settings, it is checked as edge and fails.
    func testATierValuesFileIsCheckedAsTheTierItsNameGives() throws {
        let folder = try temporaryFolder(self)
        let connected = "global: {tier: connected, connectivity: external}\nmodels: {primary: {provider: anthropic, name: claude}}\n"
        let (path, _) = try goodBundle(in: folder, extra: [
            TestArchiveBuilder.Entry(path: "airgap-bundle-20250101/values/values-tier1-edge.yaml", kind: .file(Array(connected.utf8)), mode: 0o644),
        ])
        let result = try airlock(["bundle", "verify", path, "--format", "json"])
        XCTAssertEqual(result.exitCode, 1, result.stdout)
        let found = try findings(result.stdout)
        XCTAssertTrue(found.contains("values-tier-known high airgap-bundle-20250101/values/values-tier1-edge.yaml:1:16"), "\(found)")
        XCTAssertTrue(found.contains { $0.hasPrefix("values-tier-isolation high airgap-bundle-20250101/values/values-tier1-edge.yaml:") }, "\(found)")

        // A name that gives no tier: checked as the manifest's tier, which the message names.
        let (unnamed, _) = try goodBundle(in: try temporaryFolder(self), extra: [
            TestArchiveBuilder.Entry(path: "airgap-bundle-20250101/values/values-tier-custom.yaml", kind: .file(Array(connected.utf8)), mode: 0o644),
        ])
        let manifestTier = try airlock(["bundle", "verify", unnamed])
        XCTAssertEqual(manifestTier.exitCode, 1, manifestTier.stdout)
        XCTAssertTrue(manifestTier.stdout.contains(unnamed + "!airgap-bundle-20250101/values/values-tier-custom.yaml:1:16  HIGH  values-tier-known  -  "
            + "global.tier is connected but the values are checked as tier edge (--tier, else the name of a values file, values-tier1-edge.yaml; for a bundle's tier values file, the tier its name gives, else the bundle manifest's tier)\n"),
            manifestTier.stdout)

        // Named in another case, in the bundle or in its chart, it is a tier file all the same:
        // a file system that ignores case installs it for `-f values-tier1-edge.yaml`.
        for file in ["airgap-bundle-20250101/values/Values-Tier1-Edge.yaml", "airgap-bundle-20250101/charts/x-1.0.0.tgz!x/Values-Tier1-Edge.yaml"] {
            let parts = file.split(separator: "!").map(String.init)
            let entry = parts.count == 1
                ? TestArchiveBuilder.Entry(path: file, kind: .file(Array(connected.utf8)), mode: 0o644)
                : TestArchiveBuilder.Entry(path: parts[0], kind: .file(try TestArchiveBuilder.tar([
                    TestArchiveBuilder.Entry(path: "x/Chart.yaml", kind: .file(Array("apiVersion: v2\nname: x\nversion: 1.0.0\n".utf8)), mode: 0o644),
                    TestArchiveBuilder.Entry(path: parts[1], kind: .file(Array(connected.utf8)), mode: 0o644),
                  ], compression: .gzip)), mode: 0o644)
            let (renamed, _) = try goodBundle(in: try temporaryFolder(self), extra: [entry])
            let checked = try airlock(["bundle", "verify", renamed, "--format", "json"])
            XCTAssertEqual(checked.exitCode, 1, checked.stdout)
            XCTAssertTrue(try findings(checked.stdout).contains("values-tier-known high \(file):1:16"), checked.stdout)
        }

        // With connectivity none, egress and models are values-airgap-settings' to judge (the
        // tier rule leaves them to it): bundle verify runs it too.
        let isolated = "global: {tier: edge, connectivity: none}\nnetworking: {egress: allow-all}\nmodels: {primary: {name: claude, provider: anthropic}}\n"
        let (second, _) = try goodBundle(in: try temporaryFolder(self), extra: [
            TestArchiveBuilder.Entry(path: "airgap-bundle-20250101/values/values-tier1-edge.yaml", kind: .file(Array(isolated.utf8)), mode: 0o644),
        ])
        let verified = try findings(try airlock(["bundle", "verify", second, "--format", "json"]).stdout)
        XCTAssertEqual(verified.filter { $0.hasPrefix("values-airgap-settings") }.count, 2, "\(verified)")
    }

    /// A folder of manifests with a package.yaml is read as a package, which the deploy profile
    /// has no rule for: an error, never a pass on what nothing read. A package.yaml one folder
    /// down does not make a folder with manifests of its own a package.
    func testPreDeployRefusesAPackageItHasNoRuleFor() throws {
        let folder = try temporaryFolder(self)
        let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: miner, namespace: team-alpha}\nspec: {hostNetwork: true, containers: [{name: m, image: docker.io/x/miner:1}]}\n"
        try Data(pod.utf8).write(to: folder.appendingPathComponent("pod.yaml"))
        try Data("name: x\n".utf8).write(to: folder.appendingPathComponent("package.yaml"))
        let values = ["--values", "testdata/platform/values/values-tier1-edge.yaml"]
        let package = try airlock(["gate", "pre-deploy", folder.path] + values)
        XCTAssertEqual(package.exitCode, 2, package.stdout)
        XCTAssertTrue(package.stdout.contains("read as a domain package (it holds package.yaml), and no rule of this run checks packages (the deploy profile runs none)"), package.stdout)

        try FileManager.default.removeItem(at: folder.appendingPathComponent("package.yaml"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data("name: x\n".utf8).write(to: folder.appendingPathComponent("sub/package.yaml"))
        let manifests = try airlock(["gate", "pre-deploy", folder.path, "--format", "json"] + values)
        XCTAssertTrue(try findings(manifests.stdout).contains { $0.hasPrefix("no-host-network high") }, manifests.stdout)
    }

    /// Manifests given to a profile with no rule that reads manifests (pre-deploy with the
    /// verify profile, whose rules are the bundle's) are an error at each file, never a pass on
    /// what nothing read; so are they in a run of a user's bundle rule alone.
    func testManifestsNoRuleReadsAreAnError() throws {
        let folder = try temporaryFolder(self)
        let pod = folder.appendingPathComponent("pod.yaml")
        try Data("apiVersion: v1\nkind: Pod\nmetadata: {name: miner, namespace: team-alpha}\nspec: {hostNetwork: true, containers: [{name: m, image: docker.io/x/miner:1}]}\n".utf8).write(to: pod)
        let verify = try airlock(["gate", "pre-deploy", pod.path, "--tier", "edge", "--profile", "verify"])
        XCTAssertEqual(verify.exitCode, 2, verify.stdout)
        XCTAssertTrue(verify.stdout.contains("\(pod.path):1:1: error: read as manifests, and no rule of this run checks manifests (the verify profile runs none)"), verify.stdout)

        let policy = folder.appendingPathComponent("bundle-rule.yaml")
        try Data("""
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: bundle-named}
            spec:
              target: bundle
              validations:
              - expression: bundle.manifest.name != ''

            """.utf8).write(to: policy)
        let userRule = try airlock(["check", pod.path, "--no-builtin", "--policies", policy.path])
        XCTAssertEqual(userRule.exitCode, 2, userRule.stdout)
        XCTAssertTrue(userRule.stdout.contains("read as manifests, and no rule of this run checks manifests (none is loaded)"), userRule.stdout)

        let deploy = try airlock(["gate", "pre-deploy", pod.path, "--tier", "edge"])
        XCTAssertEqual(deploy.exitCode, 1, deploy.stdout)
    }

    /// A bundle without manifest.yaml is that error, not also three "manifest has no ..." findings.
    func testABundleWithoutAManifestIsThatErrorAlone() throws {
        let result = try airlock(["bundle", "verify", "testdata/bundles/airgap-no-manifest", "--format", "json"])
        XCTAssertEqual(result.exitCode, 2, result.stdout)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((report["diagnostics"] as? [[String: Any]])?.compactMap { $0["message"] as? String }, ["no manifest.yaml: not an air-gap bundle"])
        XCTAssertEqual((report["findings"] as? [[String: Any]])?.compactMap { $0["ruleId"] as? String }.filter { $0 == "bundle-manifest-fields" }, [])
    }
}
