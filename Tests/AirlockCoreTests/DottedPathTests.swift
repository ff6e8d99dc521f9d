@testable import AirlockCore
import XCTest

/// A path written as text: dotted keys, an index as a key or in brackets after its list.
final class DottedPathTests: XCTestCase {
    private func keys(_ text: String) -> [String]? {
        try? DottedPath.keys(text).get()
    }

    private func problem(_ text: String, indices: Bool = true) -> String? {
        guard case .failure(let problem) = DottedPath.keys(text, indices: indices) else { return nil }
        return problem.message
    }

    func testIndicesMayBeWrittenInBrackets() {
        XCTAssertEqual(keys("spec.containers.1.image"), ["spec", "containers", "1", "image"])
        XCTAssertEqual(keys("spec.containers[1].image"), ["spec", "containers", "1", "image"])
        XCTAssertEqual(keys("a[0][12].b"), ["a", "0", "12", "b"])
        XCTAssertEqual(keys("[3].x"), ["3", "x"])
        XCTAssertEqual(keys(".spec.replicas"), ["spec", "replicas"])
    }

    /// A key holding dots is quoted in brackets, as a ValidatingAdmissionPolicy's `fieldPath`
    /// writes it: it was cut at its dots, so the finding fell back to the object's first line.
    func testAKeyHoldingDotsMayBeQuotedInBrackets() {
        XCTAssertEqual(keys("metadata.labels['app.kubernetes.io/name']"), ["metadata", "labels", "app.kubernetes.io/name"])
        XCTAssertEqual(keys("data['a.b'].c"), ["data", "a.b", "c"])
        XCTAssertEqual(keys("['a.b'][2]['c']"), ["a.b", "2", "c"])
        XCTAssertEqual(keys("limits['']"), ["limits", ""])
    }

    /// A typo is no path: `spec..replicas` was read as `spec.replicas`, and `spec.template[0` as
    /// a key `template[0` that no object has, so its findings pointed at `spec:`.
    func testATextThatIsNoPathSaysWhatIsWrong() {
        let expected = [
            "": "an empty path", ".": "an empty path",
            "spec..replicas": "an empty key between two dots", "..spec": "an empty key between two dots",
            "spec.": "an empty key after the last dot", "spec[0].": "an empty key after the last dot",
            "spec.template[0": "an unclosed bracket", "a['b'x": "an unclosed bracket",
            "a['b.c": "a quoted key without its closing quote",
            "a[x].b": "a bracket holds an index or a quoted key: [0] or ['key']", "b[]": "a bracket holds an index or a quoted key: [0] or ['key']",
            "a]b": "a ] without its [", "]": "a ] without its [", "a[0]]": "a ] without its [",
            "a['b']x.c": "a key follows a bracket without a dot", "a[0]x": "a key follows a bracket without a dot",
        ]
        for (text, message) in expected {
            XCTAssertEqual(problem(text), message, text)
        }
        XCTAssertEqual(problem("a[0]", indices: false), "a numeric index is not supported")
        XCTAssertEqual(problem("a[x]", indices: false), "a bracket holds a quoted key: ['key']")
    }

    /// Keys written back as a path read as the same keys.
    func testKeysAreWrittenAsAPathThatReadsBackTheSame() {
        for keys in [["metadata", "labels", "app.kubernetes.io/name"], ["spec", "containers", "1", "image"], ["a.b", "c"], ["x[0]"], ["a]b"], ["limits", ""]] {
            XCTAssertEqual(self.keys(DottedPath.text(keys)), keys, DottedPath.text(keys))
        }
        XCTAssertEqual(DottedPath.text(["metadata", "labels", "app.kubernetes.io/name"]), "metadata.labels['app.kubernetes.io/name']")
        XCTAssertEqual(DottedPath.text(["spec", "replicas"]), "spec.replicas")
    }
}
