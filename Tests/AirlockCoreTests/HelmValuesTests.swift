import AirlockCore
import CEL
import XCTest
import YAMLSource

/// Helm's merge semantics, case by case, and provenance of each merged leaf.
final class HelmValuesTests: XCTestCase {
    private func merged(_ files: [String]) throws -> HelmValues {
        var values = HelmValues()
        for (index, text) in files.enumerated() {
            let document = try XCTUnwrap(YAMLLoader().load(Array(text.utf8), file: "values-\(index).yaml").documents.first)
            values.merge(document.root)
        }
        return values
    }

    private func text(_ value: CELValue?) -> String? {
        switch value {
        case .string(let s)?: return s
        case .int(let i)?: return String(i)
        case .bool(let b)?: return String(b)
        case .list(let l)?: return "[" + l.elements.compactMap(text).joined(separator: ",") + "]"
        default: return nil
        }
    }

    func testMapsMergeDeeplyListsAndScalarsReplaceNullDeletes() throws {
        let values = try merged([
            "global: {tier: edge, registry: a, keep: 1}\nlist: [1, 2]\nremoved: {x: 1}\n",
            "global: {registry: b, keep: null}\nlist: [3]\nremoved: null\nadded: yes\n",
        ])
        let root = values.celValue
        XCTAssertEqual(text(root.child("global")?.child("tier")), "edge")
        XCTAssertEqual(text(root.child("global")?.child("registry")), "b")
        XCTAssertNil(root.child("global")?.child("keep"))
        XCTAssertEqual(text(root.child("list")), "[3]")
        XCTAssertNil(root.child("removed"))
        XCTAssertEqual(text(root.child("added")), "true")
    }

    func testScalarReplacedByMapAndMapByScalar() throws {
        let root = try merged(["a: 1\nb: {c: 1}\n", "a: {x: 2}\nb: plain\n"]).celValue
        XCTAssertEqual(text(root.child("a")?.child("x")), "2")
        XCTAssertEqual(text(root.child("b")), "plain")
    }

    func testEachLeafKnowsTheFileThatSetIt() throws {
        let values = try merged(["global:\n  tier: edge\n  registry: a\n", "global:\n  registry: b\n"])
        guard case .map(let global)? = values.celValue.child("global"), let positioned = global.provider as? CELPositioned else {
            return XCTFail("global is not a positioned map")
        }
        XCTAssertEqual(positioned.position(ofKey: .string("tier")), SourceSpan(file: "values-0.yaml", line: 2, column: 9))
        XCTAssertEqual(positioned.position(ofKey: .string("registry")), SourceSpan(file: "values-1.yaml", line: 2, column: 13))
    }

    /// A values file that holds no mapping (empty, `~`, only a comment) still names itself as
    /// where the values are: a finding about a missing key pointed at file "".
    func testValuesWithoutAMappingAreAtTheStartOfTheirFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-values-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, text) in [("empty", ""), ("null", "~\n"), ("comment", "# nothing yet\n")] {
            let file = folder.appendingPathComponent("\(name).yaml").path
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            let loaded = HelmValues.load(files: [file], limits: YAMLLimits())
            XCTAssertEqual(loaded.errors, [], name)
            XCTAssertEqual(loaded.values.root.position, SourceSpan(file: file, line: 1, column: 1), name)
        }
        // A file with a mapping keeps the position of that mapping, wherever the empty ones are.
        let mapping = folder.appendingPathComponent("mapping.yaml").path
        try Data("\nglobal: {tier: edge}\n".utf8).write(to: URL(fileURLWithPath: mapping))
        let empty = folder.appendingPathComponent("empty.yaml").path
        XCTAssertEqual(HelmValues.load(files: [mapping, empty], limits: YAMLLimits()).values.root.position, SourceSpan(file: mapping, line: 2, column: 1))
    }

    /// Helm reads only the first document of a values file, an empty one too: values after `---`
    /// twice were checked here as the tier's while Helm installed without them.
    func testADocumentHelmDoesNotReadIsAnError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-values-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cases = [
            ("empty-first", "---\n---\nglobal:\n  tier: edge\n", ["empty-first.yaml:3:1: a values file holds one document; found 2, the first empty (Helm reads only the first)"]),
            ("comment-first", "# edge\n---\n# nothing\n---\nglobal: {tier: edge}\n", ["comment-first.yaml:5:1: a values file holds one document; found 2, the first empty (Helm reads only the first)"]),
            ("two", "global: {tier: connected}\n---\nglobal: {tier: edge}\n", ["two.yaml:3:1: a values file holds one document; found 2 (Helm reads only the first)"]),
            ("trailing-empty", "global: {tier: edge}\n---\n", []),
            ("started", "---\nglobal: {tier: edge}\n", []),
        ]
        for (name, text, expected) in cases {
            let file = folder.appendingPathComponent("\(name).yaml").path
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            let errors = HelmValues.load(files: [file], limits: YAMLLimits()).errors
            XCTAssertEqual(errors.map { $0.description.replacingOccurrences(of: folder.path + "/", with: "") }, expected, name)
        }
    }
}
