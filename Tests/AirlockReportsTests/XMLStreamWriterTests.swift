import AirlockCore
@testable import AirlockReports
import CLibXML2
import XCTest

/// `XMLStreamWriter` writes what libxml2's indenting xmlTextWriter writes for the same calls, so
/// the JUnit report kept its bytes when it stopped using libxml2.
final class XMLStreamWriterTests: XCTestCase {
    /// Values with every character either writer treats specially, and some it must leave alone.
    private static let awkward = [
        "", "plain", "a<b>c&d\"e'f", "line one\nline two", "cr\r\nlf", "tab\there", "héllo ☃ 𝄞",
        "&amp; already escaped", "]]> and <!-- -->", "trailing space ", "control \u{1} replaced",
        "noncharacter \u{FFFE} replaced", "fullwidth \u{FF01} kept",
    ]

    /// One call of a writer, replayed on both.
    private enum Call {
        case start(StaticString), attribute(StaticString, String), text(String), end
    }

    private static let calls: [Call] = {
        var calls: [Call] = [.start("testsuites"), .start("testsuite"), .attribute("name", "suite")]
        for (index, value) in awkward.enumerated() {
            calls += [.start("testcase"), .attribute("name", value), .attribute("time", "0")]
            switch index % 3 {
            case 0: break
            case 1: calls += [.start("failure"), .attribute("message", value), .text(value), .end]
            default: calls += [.start("skipped"), .end, .start("system-out"), .text(value), .end]
            }
            calls.append(.end)
        }
        calls += [.start("system-out"), .end, .end, .end]
        return calls
    }()

    func testOutputMatchesLibxml2() throws {
        var writer = XMLStreamWriter()
        writer.startDocument()
        for call in Self.calls {
            switch call {
            case .start(let name): writer.startElement(name)
            case .attribute(let name, let value): writer.attribute(name, value)
            case .text(let text): writer.text(text)
            case .end: writer.endElement()
            }
        }
        writer.endDocument()
        var ours = ""
        writer.flush(to: &ours)
        XCTAssertEqual(ours, try Self.libxml2(Self.calls))
        XCTAssertTrue(ours.contains("name=\"a&lt;b&gt;c&amp;d&quot;e'f\""))
        XCTAssertTrue(ours.contains("<testcase name=\"line one&#10;line two\" time=\"0\"/>"))
        XCTAssertTrue(ours.contains("<failure message=\"cr&#13;&#10;lf\">cr&#13;\nlf</failure>"))
    }

    /// A repeated element writes the bytes the calls it stands for write, first child or not.
    func testRepeatedElementWritesWhatTheCallsWrite() {
        var general = XMLStreamWriter()
        general.startElement("testsuites")
        general.startElement("testsuite")
        var repeated = general
        let element = repeated.repeatedElement("testcase", varying: "name", fixed: [("classname", "a<b \"c\""), ("time", "0")])
        for value in Self.awkward {
            general.startElement("testcase")
            general.attribute("name", value)
            general.attribute("classname", "a<b \"c\"")
            general.attribute("time", "0")
            general.endElement()
            Array(value.utf8).withUnsafeBufferPointer { repeated.write(element, value: $0) }
        }
        general.endDocument()
        repeated.endDocument()
        var (expected, written) = ("", "")
        general.flush(to: &expected)
        repeated.flush(to: &written)
        XCTAssertEqual(written, expected)
        XCTAssertTrue(written.hasPrefix("<testsuites>\n  <testsuite>\n    <testcase name=\"\" classname=\"a&lt;b &quot;c&quot;\" time=\"0\"/>\n"), written)
        XCTAssertTrue(written.contains("<testcase name=\"tab&#9;here\" classname="))
    }

    func testCaseNamesMergeReportedObjectsIntoTheSortedEvaluatedOnes() {
        XCTAssertEqual(Self.caseNames(evaluated: ["a", "c", "e"], reported: ["b", "c", "f"]), ["a", "b+", "c+", "e", "f+"])
        XCTAssertEqual(Self.caseNames(evaluated: [], reported: ["a", "b"]), ["a+", "b+"])
        XCTAssertEqual(Self.caseNames(evaluated: ["b", "d"], reported: ["a"]), ["a+", "b", "d"])
        // Repeated evaluated objects (not what the engine gives) are one test case.
        XCTAssertEqual(Self.caseNames(evaluated: ["a", "c", "c"], reported: ["c"]), ["a", "c+"])
        XCTAssertEqual(Self.caseNames(evaluated: ["a", "a", "b"], reported: []), ["a", "b"])
        // Names that are not ASCII sort as strings do.
        XCTAssertEqual(Self.caseNames(evaluated: ["e", "é", "z"], reported: ["f", "ö"]), ["e", "f+", "z", "é", "ö+"])
        // Many evaluated objects, a few reported among them, before them, after them and between.
        let evaluated = (0..<1_000).map { String(format: "n%04d", $0 * 2) }
        let reported = ["a", "n0000", "n0001", "n0998", "n1000", "n1001", "n1998", "z"]
        let expected = (evaluated.filter { !reported.contains($0) } + reported.map { $0 + "+" }).sorted { $0.dropLast($0.hasSuffix("+") ? 1 : 0) < $1.dropLast($1.hasSuffix("+") ? 1 : 0) }
        XCTAssertEqual(Self.caseNames(evaluated: EvaluatedObjects(evaluated), reported: reported), expected)
    }

    /// The test cases of a suite, a reported object's marked `+`.
    private static func caseNames(evaluated: EvaluatedObjects, reported: [String]) -> [String] {
        let suite = JUnitReporter.Suite(
            name: "rule", package: "airlock.general", classname: "general.rule", properties: [], evaluated: evaluated.sorted(),
            reported: reported.map { JUnitReporter.TestCase(name: $0, outcome: .failure(message: "m", type: "high", details: "")) })
        var names: [String] = []
        suite.forEachCase { name, _ in
            switch name {
            case .evaluated(let position): names.append(evaluated.sorted()[position])
            case .named(let text): names.append(text + "+")
            }
        }
        XCTAssertEqual(suite.testCount, names.count)
        XCTAssertEqual(suite.count(.failure), reported.count)
        return names
    }

    /// Every byte value at every place of values up to 19 bytes long (two words and a padded
    /// rest), among plain bytes and bytes next to the special ones: flagged exactly when the byte
    /// is one the writer replaces or looks at.
    func testEveryByteAtEveryPlaceIsFlaggedExactlyWhenSpecial() {
        let special = Set<UInt8>(Array(0..<0x20) + [0xEF, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"), UInt8(ascii: "\"")])
        for background: UInt8 in [UInt8(ascii: "a"), 0x20, 0x21, 0x3D, 0x3F, 0x27, 0xEE, 0xF0, 0x80, 0xFF] {
            for length in 0...19 {
                let plain = [UInt8](repeating: background, count: length)
                XCTAssertFalse(plain.withUnsafeBufferPointer(XMLStreamWriter.needsAttention), "\(length) of \(background)")
                for place in 0..<length {
                    for byte in UInt8.min...UInt8.max {
                        var value = plain
                        value[place] = byte
                        XCTAssertEqual(
                            value.withUnsafeBufferPointer(XMLStreamWriter.needsAttention), special.contains(byte),
                            "byte \(byte) at \(place) of \(length) among \(background)")
                    }
                }
            }
        }
    }

    /// The same calls through libxml2's xmlTextWriter, indenting with two spaces.
    private static func libxml2(_ calls: [Call]) throws -> String {
        let buffer = try XCTUnwrap(xmlBufferCreate())
        defer { xmlBufferFree(buffer) }
        let writer = try XCTUnwrap(xmlNewTextWriterMemory(buffer, 0))
        xmlTextWriterSetIndent(writer, 1)
        _ = "  ".withXMLChars { xmlTextWriterSetIndentString(writer, $0) }
        xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil)
        for call in calls {
            switch call {
            case .start(let name): _ = name.description.withXMLChars { xmlTextWriterStartElement(writer, $0) }
            case .attribute(let name, let value):
                _ = name.description.withXMLChars { namePointer in
                    TextSanitizer.xml(value).withXMLChars { xmlTextWriterWriteAttribute(writer, namePointer, $0) }
                }
            case .text(let text): _ = TextSanitizer.xml(text).withXMLChars { xmlTextWriterWriteString(writer, $0) }
            case .end: xmlTextWriterEndElement(writer)
            }
        }
        xmlTextWriterEndDocument(writer)
        xmlFreeTextWriter(writer)
        let content = try XCTUnwrap(xmlBufferContent(buffer))
        return String(decoding: UnsafeBufferPointer(start: content, count: Int(xmlBufferLength(buffer))), as: UTF8.self)
    }
}

private extension String {
    func withXMLChars<Result>(_ body: (UnsafePointer<xmlChar>) -> Result) -> Result {
        withCString { $0.withMemoryRebound(to: xmlChar.self, capacity: utf8.count + 1, body) }
    }
}
