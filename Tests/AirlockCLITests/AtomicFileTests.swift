@testable import airlock
import Foundation
import XCTest

final class AtomicFileTests: XCTestCase {
    /// A link planted at the temporary file's predictable name (in a shared folder such as /tmp)
    /// is removed, not followed: the file it points to keeps its content.
    func testALinkAtTheTemporaryNameIsNotFollowed() throws {
        let folder = try temporaryFolder(self)
        let victim = folder.appendingPathComponent("victim.txt").path
        let temporary = folder.appendingPathComponent(".report.sarif.1.tmp").path
        try Data("keep".utf8).write(to: URL(fileURLWithPath: victim))
        try FileManager.default.createSymbolicLink(atPath: temporary, withDestinationPath: victim)
        let descriptor = try AtomicFile.createNew(temporary, reportPath: "report.sarif")
        defer { close(descriptor) }
        XCTAssertEqual(write(descriptor, "new", 3), 3)
        XCTAssertEqual(try String(contentsOfFile: victim, encoding: .utf8), "keep")
        XCTAssertEqual(try String(contentsOfFile: temporary, encoding: .utf8), "new")
        XCTAssertNil(try? FileManager.default.destinationOfSymbolicLink(atPath: temporary))
    }

    /// A report path ending in `/` names a folder: `--output json=reports/` wrote a file named
    /// `reports`, and `--output json=old.json/` replaced the file `old.json`.
    func testAPathEndingInASlashIsNoFile() throws {
        let folder = try temporaryFolder(self)
        let existing = folder.appendingPathComponent("old.json").path
        try Data("keep".utf8).write(to: URL(fileURLWithPath: existing))
        for path in [folder.appendingPathComponent("reports").path + "/", existing + "/"] {
            XCTAssertThrowsError(try AtomicFile.open(path)) { error in
                XCTAssertEqual("\(error)", "cannot write the report \(path): it names a folder (it ends with /): give a file name")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("reports").path))
        XCTAssertEqual(try String(contentsOfFile: existing, encoding: .utf8), "keep")
    }
}
