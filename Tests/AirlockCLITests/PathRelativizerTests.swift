import AirlockCore
@testable import airlock
import XCTest

final class PathRelativizerTests: XCTestCase {
    /// Relative and absolute inputs are compared with the root as absolute, standardized paths:
    /// `--root` was ignored for relative inputs.
    func testPathsAreRelativeToTheRootHoweverTheInputIsGiven() {
        let relativizer = PathRelativizer(root: "../repo", workingFolder: "/home/me/work")
        XCTAssertEqual(relativizer.relative("../repo/deploy/pod.yaml"), "deploy/pod.yaml")
        XCTAssertEqual(relativizer.relative("/home/me/repo/deploy/pod.yaml"), "deploy/pod.yaml")
        XCTAssertEqual(relativizer.relative("/home/me/work/../repo/./deploy//pod.yaml"), "deploy/pod.yaml")
        XCTAssertEqual(relativizer.relative("../repo"), ".")
        // Outside the root: a relative input is written relative to the root, an absolute one stays absolute.
        XCTAssertEqual(relativizer.relative("values.yaml"), "../work/values.yaml")
        XCTAssertEqual(relativizer.relative("/etc/values.yaml"), "/etc/values.yaml")
        // Only the archive of an archive member is a path; names that are not paths stay as they are.
        XCTAssertEqual(relativizer.relative("../repo/b.tar.gz!bundle/../x.yaml"), "b.tar.gz!bundle/../x.yaml")
        for name in ["<stdin>", "builtin:policies/image.yaml", "--param p.k", ""] {
            XCTAssertEqual(relativizer.relative(name), name)
        }

        let working = PathRelativizer(root: nil, workingFolder: "/home/me/work")
        XCTAssertEqual(working.relative("./deploy/pod.yaml"), "deploy/pod.yaml")
        XCTAssertEqual(working.relative("../other/pod.yaml"), "../other/pod.yaml")
        XCTAssertEqual(PathRelativizer(root: "/", workingFolder: "/w").relative("a/b.yaml"), "w/a/b.yaml")
    }

    /// Notes and the reasons a rule did not run name files as the command line gave them: an
    /// absolute input put this machine's folders in the reports. The paths given, and those below
    /// them, are written relative to the root; text naming no given path is left as it is.
    func testNotesAndReasonsNameFilesRelativeToTheRoot() {
        let relativizer = PathRelativizer(root: "/home/me/repo", workingFolder: "/tmp")
        let named = ["/home/me/repo/deploy", "/home/me/repo", "/etc/bundle.tar.gz", "deploy"]
        var run = CheckResult.RuleRun(rule: RuleDescriptor(
            id: "r", title: "", description: "", remediation: "", category: .bundle, severity: .high, controls: []), evaluated: ["/home/me/repo/b"])
        run.notRun = "/home/me/repo/b/manifest.yaml could not be loaded"
        run.skipped = [.init(subject: "/home/me/repo/b", reason: "/home/me/repo/b/manifest.yaml: no version")]
        let result = CheckResult(rules: [run], findings: [], diagnostics: [], artifacts: [], notes: [
            "skipped hidden folder /home/me/repo/deploy/.x, which holds *.yaml",
            "/home/me/repo/deploy/empty.yaml holds no document",
            "/etc/bundle.tar.gz!b/manifest.yaml: outside the root stays absolute",
            "nothing given here: /home/me/other, /home/me/repository/x",
            "the root itself: /home/me/repo",
            "/home/me/repo/deploy/p.yaml:14:1: Kyverno PolicyException x is not applied",
        ])
        let relative = relativizer.relativize(result, subjects: ["/home/me/repo/b"], named: named)
        XCTAssertEqual(relative.notes, [
            "skipped hidden folder deploy/.x, which holds *.yaml",
            "deploy/empty.yaml holds no document",
            "/etc/bundle.tar.gz!b/manifest.yaml: outside the root stays absolute",
            "nothing given here: /home/me/other, /home/me/repository/x",
            "the root itself: .",
            "deploy/p.yaml:14:1: Kyverno PolicyException x is not applied",
        ])
        XCTAssertEqual(relative.rules[0].notRun, "b/manifest.yaml could not be loaded")
        XCTAssertEqual(relative.rules[0].skipped, [.init(subject: "b", reason: "b/manifest.yaml: no version")])
    }

    /// The first definition a duplicate's message names is written relative to the root too: an
    /// absolute input path made reports depend on where the checkout lives.
    func testTheFirstDefinitionInAMessageIsRelativeToTheRoot() {
        let first = SourceSpan(file: "/home/me/repo/a.yaml", line: 1, column: 1)
        let duplicate = Diagnostic(
            kind: .input, message: "default/ConfigMap/c is defined twice",
            location: SourceSpan(file: "/home/me/repo/b.yaml", line: 4, column: 1), firstDefinition: first)
        let result = CheckResult(rules: [], findings: [], diagnostics: [duplicate], artifacts: [])
        let relative = PathRelativizer(root: "/home/me/repo", workingFolder: "/tmp").relativize(result)
        XCTAssertEqual(relative.diagnostics.map(\.description), ["b.yaml:4:1: default/ConfigMap/c is defined twice (first at a.yaml:1)"])
        var sameFile = duplicate
        sameFile.location?.file = first.file
        XCTAssertEqual(sameFile.message, "default/ConfigMap/c is defined twice (first at line 1)")
    }

    /// A bundle given by a relative path with `--root` elsewhere is the subject its rules evaluated
    /// under that path: it is made relative as its findings' files are, or JUnit had a passing
    /// case named by the path given beside the failing one named by the file. Objects' names, and
    /// names that only start like a subject, stay as they are.
    func testSubjectsGivenByRelativePathsAreRelativeToTheRoot() {
        let rule = RuleDescriptor(id: "r", title: "r", description: "", remediation: "", category: .bundle, severity: .high, controls: [])
        let run = CheckResult.RuleRun(rule: rule, evaluated: [
            "bundles/b", "bundles/b.tar.gz!x/values-tier1-edge.yaml", "bundles/bb", "team-a/Deployment/web",
        ])
        let result = CheckResult(rules: [run], findings: [], diagnostics: [], artifacts: [])
        let relativizer = PathRelativizer(root: "/srv", workingFolder: "/home/me/repo")
        XCTAssertEqual(Array(relativizer.relativize(result, subjects: ["bundles/b", "bundles/b.tar.gz"]).rules[0].evaluated), [
            "../home/me/repo/bundles/b", "../home/me/repo/bundles/b.tar.gz!x/values-tier1-edge.yaml", "bundles/bb", "team-a/Deployment/web",
        ])
        XCTAssertEqual(Array(relativizer.relativize(result).rules[0].evaluated), Array(run.evaluated))
    }

    /// A checkout reached through a link is named by the shell's `PWD` (`/tmp/repo`) and by the
    /// kernel's working folder (`/private/tmp/repo`): `$PWD/deploy/pod.yaml`, and relative inputs
    /// with `--root "$PWD"`, were written as absolute paths and as `../real/deploy/pod.yaml`.
    func testARootReachedThroughALinkIsTheRootInEitherSpelling() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("relativizer-\(getpid())").path
        let real = scratch + "/real"
        let link = scratch + "/link"
        try FileManager.default.createDirectory(atPath: real + "/deploy", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        defer { try? FileManager.default.removeItem(atPath: scratch) }

        let physical = ResolvedPath.of(real)
        let byDefault = PathRelativizer(root: nil, workingFolder: physical, shellWorkingFolder: link)
        XCTAssertEqual(byDefault.relative(link + "/deploy/pod.yaml"), "deploy/pod.yaml")
        XCTAssertEqual(byDefault.relative(physical + "/deploy/pod.yaml"), "deploy/pod.yaml")
        XCTAssertEqual(byDefault.relative("deploy/pod.yaml"), "deploy/pod.yaml")

        let givenRoot = PathRelativizer(root: link, workingFolder: physical, shellWorkingFolder: link)
        XCTAssertEqual(givenRoot.relative("deploy/pod.yaml"), "deploy/pod.yaml")
        XCTAssertEqual(givenRoot.relative(link + "/deploy/pod.yaml"), "deploy/pod.yaml")

        // A stale PWD, naming another folder, is no spelling of the root.
        let stale = PathRelativizer(root: nil, workingFolder: physical, shellWorkingFolder: scratch)
        XCTAssertEqual(stale.relative(scratch + "/deploy/pod.yaml"), scratch + "/deploy/pod.yaml")
    }

    /// `inventory --format json` names files as the reports do, relative to the working folder,
    /// and writes its errors in the shape of the JSON report's `diagnostics`: an absolute input
    /// path stayed absolute, and an error had `summary` for `message`, without the first
    /// definition a duplicate's message names. Its error lines on standard error name the files
    /// alike, in either format: they stayed absolute.
    func testInventoryJSONNamesFilesAndErrorsAsTheJSONReportDoes() throws {
        let folder = try temporaryFolder(self)
        let map = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
        try Data(map.utf8).write(to: folder.appendingPathComponent("a.yaml"))
        try Data(map.utf8).write(to: folder.appendingPathComponent("b.yaml"))
        let result = try airlock(["inventory", "--format", "json", folder.path + "/a.yaml", folder.path + "/b.yaml"], directory: folder)
        XCTAssertEqual(result.exitCode, 2, result.stderr)
        let entry = { (file: String) in
            """
                {
                  "apiVersion" : "v1",
                  "column" : 1,
                  "documentIndex" : 0,
                  "file" : "\(file)",
                  "kind" : "ConfigMap",
                  "labels" : {

                  },
                  "line" : 1,
                  "name" : "c",
                  "namespace" : "default"
                }
            """
        }
        XCTAssertEqual(result.stdout, """
            {
              "errors" : [
                {
                  "kind" : "input",
                  "location" : {
                    "column" : 1,
                    "file" : "b.yaml",
                    "line" : 1
                  },
                  "message" : "default/ConfigMap/c is defined twice: kubectl apply keeps the last, helm install refuses them; keep one (first at a.yaml:1)"
                }
              ],
              "resources" : [
            \(entry("a.yaml")),
            \(entry("b.yaml"))
              ],
              "schemaVersion" : "1"
            }

            """)
        let duplicate = "b.yaml:1:1: error: default/ConfigMap/c is defined twice: kubectl apply keeps the last, helm install refuses them; keep one (first at a.yaml:1)\n"
        XCTAssertEqual(result.stderr, duplicate)
        let table = try airlock(["inventory", folder.path + "/a.yaml", folder.path + "/b.yaml"], directory: folder)
        XCTAssertEqual(table.exitCode, 2, table.stderr)
        XCTAssertEqual(table.stderr, duplicate)
    }
}
