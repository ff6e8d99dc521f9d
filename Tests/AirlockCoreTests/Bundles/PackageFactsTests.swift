import Foundation
import XCTest
@testable import AirlockCore

final class PackageFactsTests: XCTestCase {
    private let good = TestData.bundles.appendingPathComponent("package-good")

    private func assertGood(_ facts: PackageFacts, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(facts.diagnostics, [], file: file, line: line)
        XCTAssertEqual(facts.issues, [], file: file, line: line)
        XCTAssertEqual(facts.topLevelKeys, ["name", "version", "description", "author", "license", "dependencies", "agents", "workflows", "patterns", "config", "documentation"], file: file, line: line)
        XCTAssertEqual(facts.name, "customer-service", file: file, line: line)
        XCTAssertEqual(facts.version, "1.2.0", file: file, line: line)
        XCTAssertEqual(facts.license, "MIT", file: file, line: line)
        XCTAssertEqual(facts.dependencies.map(\.name), ["core-workflow", "communication-patterns"], file: file, line: line)
        XCTAssertEqual(facts.dependencies.map(\.range), ["^2.0.0", "^1.5.0"], file: file, line: line)
        XCTAssertEqual(facts.dependencies.map(\.rangeError), [nil, nil], file: file, line: line)
        XCTAssertEqual(facts.dependencies.first?.location.line, 7, file: file, line: line)
        XCTAssertTrue(facts.declaredFiles.allSatisfy(\.exists), "\(facts.declaredFiles)", file: file, line: line)
        XCTAssertEqual(facts.declaredFiles.map(\.key), ["agents", "agents", "workflows", "patterns", "config.defaults", "documentation.getting_started"], file: file, line: line)
        XCTAssertTrue(facts.hasReadme, file: file, line: line)
        XCTAssertEqual(facts.markdown.map(\.path), [
            "agents/handle-inquiry.md", "agents/process-refund.md", "docs/getting-started.md",
            "patterns/empathetic-resolution.md", "workflows/resolve-ticket.md",
        ], file: file, line: line)
        XCTAssertTrue(facts.markdown.allSatisfy { $0.hasTitle && $0.hasDescription }, "\(facts.markdown)", file: file, line: line)
        XCTAssertEqual(facts.markdown.map(\.section), ["agents", "agents", "docs", "patterns", "workflows"], file: file, line: line)
        XCTAssertEqual(facts.localOverride?.topLevelKeys, ["config"], file: file, line: line)
        XCTAssertTrue(facts.files.contains { $0.path == "package.yaml" && $0.sha256?.count == 64 }, file: file, line: line)
    }

    func testGoodPackageFolder() {
        let facts = PackageFacts.read(good.appendingPathComponent("customer-service").path)
        assertGood(facts)
        XCTAssertEqual(facts.root, "")
        XCTAssertEqual(facts.manifestFile, good.appendingPathComponent("customer-service").path + "/package.yaml")
        XCTAssertEqual(facts.manifest?["license"]?.line, 5)
    }

    func testGoodPackageTarball() throws {
        let folder = try TemporaryFolder()
        let entries = try TestArchiveWriter.entries(ofFolder: good.appendingPathComponent("customer-service"), prefix: "customer-service/")
        let path = try folder.write(TestArchiveWriter.tar([.directory("customer-service")] + entries, compression: .gzip), to: "customer-service-1.2.0.tar.gz")
        _ = try folder.write([UInt8](try Data(contentsOf: good.appendingPathComponent("customer-service.local.yaml"))), to: "customer-service.local.yaml")
        let facts = PackageFacts.read(path)
        assertGood(facts)
        XCTAssertEqual(facts.root, "customer-service")
        XCTAssertEqual(facts.manifestFile, path + "!customer-service/package.yaml")
        XCTAssertEqual(facts.localOverride?.file, folder.path("customer-service.local.yaml"))
    }

    func testBadPackageFacts() {
        let facts = PackageFacts.read(TestData.bundles.appendingPathComponent("package-bad/sales-operations").path)
        XCTAssertEqual(facts.diagnostics, [])
        XCTAssertFalse(facts.hasReadme)
        XCTAssertNil(facts.license)
        XCTAssertEqual(facts.version, "0.9", "kept as text so a policy can say it is not SemVer")
        XCTAssertEqual(facts.dependencies.map(\.name), ["core-workflow", "validation-gates", "no-range-given"])
        XCTAssertEqual(facts.dependencies.map(\.range), ["^2.0.0", ">=banana", "*"])
        XCTAssertEqual(facts.dependencies.map { $0.rangeError != nil }, [false, true, false])
        XCTAssertEqual(facts.declaredFiles.filter { !$0.exists }.map(\.path), ["agents/missing-agent.md"])
        XCTAssertEqual(facts.declaredFiles.first { !$0.exists }?.location.line, 9)
        let byPath = Dictionary(uniqueKeysWithValues: facts.markdown.map { ($0.path, $0) })
        XCTAssertEqual(byPath["agents/qualify-lead.md"]?.hasTitle, false)
        XCTAssertEqual(byPath["workflows/close-deal.md"]?.hasTitle, true)
        XCTAssertEqual(byPath["workflows/close-deal.md"]?.hasDescription, false)
        XCTAssertEqual(byPath["docs/empty.md"]?.hasTitle, false)
        XCTAssertNil(facts.localOverride)
    }

    func testItemsOfTheWrongShapeAreKeptWithAnError() {
        let facts = PackageFacts.read(TestData.bundles.appendingPathComponent("package-shapes/shapes").path)
        XCTAssertEqual(facts.diagnostics, [])
        XCTAssertEqual(facts.dependencies.map(\.name), ["core-workflow", ""])
        XCTAssertEqual(facts.dependencies.map(\.error), [nil, "a dependency is a mapping, not a name@range string"])
        XCTAssertEqual(facts.dependencies.map(\.location.line), [7, 8])
        XCTAssertEqual(facts.declaredFiles.map(\.key), ["agents", "agents", "documentation.guide", "documentation.guides"])
        XCTAssertEqual(facts.declaredFiles.map(\.error), [nil, "agents holds a mapping, not a file path", nil, "documentation.guides holds a list, not a file path"])
        XCTAssertEqual(facts.declaredFiles.map { "\($0.location.line):\($0.location.column)" }, ["10:5", "11:5", "13:10", "14:11"])
    }

    /// A listed path is read as an installer opens it: `./`, `//` and `/./` lead to the file (the
    /// listed rule compared the text and reported such files as not listed), and a trailing `/`
    /// names a folder, which it cannot open as a file (the file was taken as present).
    func testListedPathsNameTheFileAnInstallerOpens() {
        let oddly = PackageFacts.read(TestData.bundles.appendingPathComponent("package-paths/written-oddly").path)
        XCTAssertEqual(oddly.diagnostics, [])
        XCTAssertEqual(oddly.declaredFiles.map(\.file), ["agents/a.md", "agents/b.md", "workflows/w.md", "patterns/p.md"])
        XCTAssertTrue(oddly.declaredFiles.allSatisfy(\.exists))
        let folder = PackageFacts.read(TestData.bundles.appendingPathComponent("package-paths/folder-path").path)
        XCTAssertEqual(folder.declaredFiles.map(\.path), ["agents/a.md/"])
        XCTAssertEqual(folder.declaredFiles.map(\.file), [nil])
        XCTAssertEqual(folder.declaredFiles.map(\.exists), [false])
        XCTAssertEqual(["", ".", "a/.", "a/", "/a", "a/../b"].map(DeclaredFile.file(named:)), [nil, nil, nil, nil, "/a", "a/../b"])
    }

    /// A configuration the installer merges is read: one that is not YAML was never looked at
    /// and the package passed.
    func testAConfigFileThatIsNotYAMLKeepsItsError() {
        let facts = PackageFacts.read(TestData.bundles.appendingPathComponent("package-paths/bad-config").path)
        XCTAssertEqual(facts.diagnostics, [])
        XCTAssertEqual(facts.declaredFiles.map { $0.yamlError?.components(separatedBy: ": ").first }, ["config/defaults.yaml:3:8", "config/limits.json:1:10", nil])
    }

    func testFolderWithoutPackageYAMLIsADiagnostic() throws {
        let folder = try TemporaryFolder()
        try TestArchiveWriter.writeFolder([.file("README.md", "# x\n")], to: folder.url)
        let facts = PackageFacts.read(folder.url.path)
        XCTAssertEqual(facts.diagnostics.count, 1)
        XCTAssertTrue(facts.diagnostics[0].message.contains("package.yaml"))
    }

    /// NAME.local.yaml is a file beside the package: a package.yaml `name` that holds a path
    /// (`../outside/evil`) names none, and no file elsewhere is read as the package's override.
    func testANameHoldingAPathFindsNoOverrideOutsideTheFolderOfThePackage() throws {
        let folder = try TemporaryFolder()
        try TestArchiveWriter.writeFolder([
            .file("packages/p/package.yaml", "name: ../outside/evil\nversion: 1.0.0\n"),
            .file("outside/evil.local.yaml", "config: {}\n"),
        ], to: folder.url)
        let facts = PackageFacts.read(folder.path("packages/p"))
        XCTAssertNil(facts.localOverride)
        try TestArchiveWriter.writeFolder([.file("packages/p.local.yaml", "agents: {}\n")], to: folder.url)
        XCTAssertEqual(PackageFacts.read(folder.path("packages/p")).localOverride?.file, folder.path("packages/p") + ".local.yaml")
    }

    func testMalformedPackageYAMLIsADiagnosticWithPosition() throws {
        let folder = try TemporaryFolder()
        try TestArchiveWriter.writeFolder([.file("package.yaml", "name: x\nname: y\n")], to: folder.url)
        let facts = PackageFacts.read(folder.url.path)
        XCTAssertEqual(facts.diagnostics.count, 1)
        XCTAssertEqual(facts.diagnostics.first?.location?.line, 2)
    }
}

final class MarkdownFactsTests: XCTestCase {
    private func inspect(_ text: String) -> MarkdownFacts {
        MarkdownFacts.inspect(path: "agents/a.md", section: "agents", content: Array(text.utf8))
    }

    func testTitleAndDescription() {
        let facts = inspect("\n# Triage agent\n\nSorts incoming tickets by urgency.\nMore text.\n")
        XCTAssertEqual(facts.title, "Triage agent")
        XCTAssertEqual(facts.titleLine, 2)
        XCTAssertEqual(facts.description, "Sorts incoming tickets by urgency.")
        XCTAssertEqual(facts.descriptionLine, 4)
    }

    func testVariants() {
        XCTAssertTrue(inspect("\u{FEFF}# T\r\n\r\nDescribed.\r\n").hasDescription, "BOM and CRLF")
        XCTAssertTrue(inspect("---\na: b\n---\n# T\nDescribed.\n").hasDescription, "front matter")
        XCTAssertEqual(inspect("Title\n=====\n\nDescribed.\n").title, "Title")
        XCTAssertFalse(inspect("## Only a second-level heading\n\nText\n").hasTitle)
        XCTAssertFalse(inspect("#NoSpace\n").hasTitle)
        XCTAssertFalse(inspect("# \n\nText\n").hasTitle, "empty title")
        for notDescription in ["## Sub", "- item", "1. item", "```", "| a | b |", "> quote", "<div>", "---", "![img](x.png)"] {
            XCTAssertFalse(inspect("# T\n\n\(notDescription)\n").hasDescription, notDescription)
        }
        XCTAssertFalse(inspect("# T\n").hasDescription)
        XCTAssertFalse(inspect("").hasTitle)
    }
}
