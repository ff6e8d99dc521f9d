@testable import AirlockCore
import XCTest

final class InputReaderTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-input-reader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: folder)
    }

    func testReadsAFileWholeWhateverItsSize() throws {
        for size in [0, 1, 65_535, 65_536, 65_537, 3 << 20] {
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
            let path = folder.appendingPathComponent("file-\(size).yaml").path
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
            XCTAssertEqual(try InputReader.wholeFile(path, limit: 3 << 20).get(), bytes, "\(size) bytes")
        }
    }

    /// A file over the limit is an error, found without reading it when its size says so (a
    /// sparse file of terabytes), or when reading passes the limit (a stream, `/dev/zero`).
    func testAFileOverTheLimitIsAnErrorWithoutReadingItAll() throws {
        let path = folder.appendingPathComponent("sparse.yaml").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 1 << 40)
        try handle.close()
        let message = "cannot read file: it is larger than the limit of 1048576 bytes (raise it with --max-input-bytes)"
        XCTAssertEqual(InputReader.read(.file(path), limit: 1 << 20).failureMessage, message)
        XCTAssertEqual(InputReader.read(.namedFile("/dev/zero"), limit: 1 << 20).failureMessage, message)
    }

    /// Files of `/proc` report a size of 0 and still have content.
    func testReadsAFileThatReportsNoSize() throws {
        let status = try InputReader.wholeFile("/proc/self/status", limit: 1 << 20).get()
        XCTAssertTrue(String(decoding: status, as: UTF8.self).hasPrefix("Name:"))
    }

    /// A file in an input folder whose name is not UTF-8 is found and read by its bytes, and
    /// named with them escaped; it was decoded to U+FFFD and then "No such file or directory".
    func testAFileNameThatIsNotUTF8IsReadByItsBytes() throws {
        let content = Array("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n".utf8)
        let path = Array(folder.path.utf8) + Array("/caf".utf8) + [0xE9] + Array(".yaml".utf8)
        let descriptor = (path.map(CChar.init(bitPattern:)) + [0]).withUnsafeBufferPointer { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) }
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        XCTAssertEqual(content.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }, content.count)
        close(descriptor)
        XCTAssertTrue(FileManager.default.createFile(atPath: folder.appendingPathComponent("ok.yaml").path, contents: Data(content)))

        let expanded = InputDiscovery.expand([folder.path])
        XCTAssertEqual(expanded.errors, [])
        XCTAssertEqual(expanded.sources.map(\.name), [folder.path + "/caf\\xE9.yaml", folder.path + "/ok.yaml"])
        for source in expanded.sources {
            let input = try InputReader.read(source).get()
            XCTAssertEqual(input.name, source.name)
            XCTAssertEqual(input.bytes, content)
        }
        XCTAssertEqual(InputDiscovery.escapedName(Array("a/é".utf8) + [0xFF, 0xC3] + Array("x".utf8)), "a/é\\xFF\\xC3x")
    }

    /// An escaped name gives its bytes back exactly: a `\` of the name is escaped too, so that a
    /// name holding the text `\xE9` is not read as holding the byte.
    func testAnEscapedNameGivesItsBytesBack() {
        let path = Array("d\\xE9/caf".utf8) + [0xE9, 0xFF] + Array("\\x.yaml".utf8)
        let name = InputDiscovery.escapedName(path)
        XCTAssertEqual(name, "d\\x5CxE9/caf\\xE9\\xFF\\x5Cx.yaml")
        XCTAssertEqual(InputDiscovery.unescapedName(name), path)
    }

    func testFailuresAreNamedInWords() {
        let missing = folder.appendingPathComponent("absent.yaml").path
        XCTAssertEqual(InputReader.read(.file(missing)).failureMessage, "cannot read file: No such file or directory")
        XCTAssertEqual(InputReader.read(.file(folder.path)).failureMessage, "cannot read file: it is a folder")
        XCTAssertEqual(InputReader.read(.file(missing)).failureLocation, SourceSpan(file: missing, line: 1, column: 1))
    }

    /// A FIFO or character device named on the command line (`<(helm template …)`, `/dev/stdin`)
    /// is read to its end like standard input; found in a folder, it is refused without waiting.
    func testStreamsAreReadWhenNamedAndRefusedWhenFoundInAFolder() throws {
        let fifo = folder.appendingPathComponent("rendered.yaml").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertEqual(InputReader.read(.file(fifo)).failureMessage, "cannot read file: it is a FIFO, not a regular file")
        let text = Array("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n".utf8)
        let writer = Thread {
            let descriptor = open(fifo, O_WRONLY)
            _ = text.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            close(descriptor)
        }
        writer.start()
        let named = try InputReader.read(.namedFile(fifo)).get()
        XCTAssertEqual(named.name, fifo)
        XCTAssertEqual(named.bytes, text)
        XCTAssertEqual(try InputReader.read(.namedFile("/dev/null")).get().bytes, [])
        XCTAssertEqual(InputReader.read(.file("/dev/null")).failureMessage, "cannot read file: it is a device, not a regular file")
        XCTAssertEqual(InputDiscovery.expand([fifo, "/dev/null"]).sources, [.namedFile(fifo), .namedFile("/dev/null")])
    }
}

private extension Result where Failure == Diagnostic {
    var failureMessage: String? { if case .failure(let diagnostic) = self { diagnostic.message } else { nil } }
    var failureLocation: SourceSpan? { if case .failure(let diagnostic) = self { diagnostic.location } else { nil } }
}
